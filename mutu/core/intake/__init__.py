"""The public intake toolkit: what every form or endpoint that takes submissions from people
without an account needs, whatever the domain (docs/architecture.md, "Public intake").

- admission: soft and hard rate limits per address, the junk bucket, the admission decision;
- pow: the ALTCHA proof-of-work (a cost and a signal, never a gate);
- honeypot: the bot trap field;
- meta: SubmissionMeta (address, browser, verdicts, client id, timing) and the review flags;
- duplicates: the same content from the same source, shortly before, is flagged;
- errors: the one JSON error body {error, code, fields};
- json_intake: the one path of a JSON submission (size, JSON, shape, junk counting).
"""
