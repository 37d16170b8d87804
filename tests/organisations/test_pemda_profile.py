"""A Pemda admin edits its profile and logo; uploads are judged by content, not by name."""

import io
import random

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from mutu.core.models import DomainEvent
from mutu.core.roles import Role
from tests.factories import PemdaFactory, RegionFactory, member

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def pemda():
    return PemdaFactory(region=RegionFactory(code="64.09", name="Kabupaten PPU"))


def _png(size=(40, 40)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, "navy").save(buffer, "PNG")
    return buffer.getvalue()


def _post(client, pemda, logo):
    data = {"name": "Pemerintah Kabupaten PPU", "address": "Jl. Provinsi Km 9", "website": ""}
    if logo is not None:
        data["logo"] = logo
    return client.post(reverse("organisations:pemda_edit", args=[pemda.pk]), data)


def test_admin_saves_profile_with_a_png_logo(client, pemda):
    client.force_login(member(Role.PEMDA_ADMIN, pemda=pemda))
    response = _post(client, pemda, SimpleUploadedFile("logo.png", _png(), "image/png"))
    assert response.status_code == 302
    pemda.refresh_from_db()
    assert pemda.address == "Jl. Provinsi Km 9"
    assert pemda.logo.name.startswith("logos/")
    assert DomainEvent.objects.filter(verb="pemda.updated", pemda=pemda).exists()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "logo.png",
            b"<svg xmlns='http://www.w3.org/2000/svg'><script>x</script></svg>",
            "Unggah gambar yang valid",
        ),
        ("logo.png", b"%PDF-1.4 not an image", "Unggah gambar yang valid"),
    ],
)
def test_a_file_that_is_no_image_is_refused_and_nothing_changes(
    client, pemda, name, content, message
):
    client.force_login(member(Role.PEMDA_ADMIN, pemda=pemda))
    response = _post(client, pemda, SimpleUploadedFile(name, content, "image/png"))
    assert response.status_code == 200
    assert message in response.content.decode()
    pemda.refresh_from_db()
    assert not pemda.logo
    assert pemda.address == ""


def test_a_gif_is_refused_even_when_named_png(client, pemda):
    buffer = io.BytesIO()
    Image.new("RGB", (10, 10)).save(buffer, "GIF")
    client.force_login(member(Role.PEMDA_ADMIN, pemda=pemda))
    response = _post(client, pemda, SimpleUploadedFile("logo.png", buffer.getvalue()))
    assert "Logo harus berupa gambar PNG, JPEG atau WebP." in response.content.decode()


def test_a_logo_over_one_megabyte_is_refused(client, pemda):
    # Noise does not compress: a 700 x 700 PNG of it is about 1.5 MB.
    noise = random.Random(1).randbytes(700 * 700 * 3)
    buffer = io.BytesIO()
    Image.frombytes("RGB", (700, 700), noise).save(buffer, "PNG")
    assert len(buffer.getvalue()) > 1024 * 1024
    client.force_login(member(Role.PEMDA_ADMIN, pemda=pemda))
    response = _post(client, pemda, SimpleUploadedFile("logo.png", buffer.getvalue()))
    assert "Logo terlalu besar (maksimum 1 MB)." in response.content.decode()
    pemda.refresh_from_db()
    assert not pemda.logo
