"""Production static files: the manifest storage must be able to collect everything."""

import pytest
from django.core.management import call_command


@pytest.mark.slow  # compresses every static file
@pytest.mark.django_db
def test_collectstatic_with_the_production_storage(tmp_path, settings):
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    call_command("collectstatic", "--noinput", verbosity=0)
    manifest = (tmp_path / "staticfiles.json").read_text()
    assert "css/survey.css" in manifest and "vendor/htmx-2.0.11/htmx.min.js" in manifest
    hashed = [p for p in (tmp_path / "img").iterdir() if p.name.startswith("face-1.")]
    assert len(hashed) >= 2  # the original and its content-hashed copy
