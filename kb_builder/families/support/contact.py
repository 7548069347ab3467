"""Contact addresses in support.yml: e-mail addresses, telephone numbers, the help-desk portal.

Each check reads what a writer typed and either returns the value to store or raises
`ValueError` with a message saying what would be valid (the model turns it into a
``path:line`` error). The work is done by libraries made for it: `email-validator` for the
syntax of addresses (no DNS lookup: a build must not depend on the network), `phonenumbers`
(Google's libphonenumber) for telephone numbers, stored in E.164 and shown in the number's
national format.

The links made from them (``mailto:``, ``tel:``, ``https:``) are the only addresses the
contact routes publish, and each passes `kb_builder.core.text.link_problem` as well.
"""

from __future__ import annotations

import re
from urllib.parse import quote, urlsplit

from kb_builder.core.text import browser_url, link_problem, url_scheme

# phonenumbers and email_validator are imported where a number or an address is read: a site
# without support.yml never reads one, and their tables are a few MB of every build's memory.

E164 = re.compile(r"^\+[1-9]\d{1,14}$")
EXAMPLE_PHONE = "+14165550142"
EXAMPLE_EMAIL = "support@example.com"
EXAMPLE_PORTAL = "https://help.example.com/"
# Longest address RFC 5321 lets through a mail server; longer text is a paste gone wrong.
MAX_EMAIL = 254
MAX_URL = 2000


def check_email(value: str) -> str:
    """An e-mail address as written, normalised (domain in lower case).

    Raises:
        ValueError: for a display name, a ``mailto:`` prefix, or an address that is not
            ``name@domain`` by RFC 5322 as `email-validator` reads it.
    """
    text = value.strip()
    if text.lower().startswith("mailto:"):
        raise ValueError(
            f"is '{text}'; write the address alone, without 'mailto:', e.g. '{EXAMPLE_EMAIL}'"
        )
    if len(text) > MAX_EMAIL or "<" in text or " " in text:
        raise ValueError(
            f"is '{_shown(text)}', which is not an e-mail address; write the address alone "
            f"(no name, no spaces, at most {MAX_EMAIL} characters), e.g. '{EXAMPLE_EMAIL}'"
        )
    from email_validator import EmailNotValidError, validate_email

    try:
        checked = validate_email(text, check_deliverability=False)
    except EmailNotValidError as e:
        reason = str(e).rstrip(".")
        reason = reason[0].lower() + reason[1:] if reason else reason
        raise ValueError(
            f"is '{_shown(text)}', which is not an e-mail address ({reason}); write "
            f"name@domain, e.g. '{EXAMPLE_EMAIL}'"
        ) from None
    return checked.normalized


def check_phone(value: str) -> str:
    """A telephone number in E.164 (``+14165550142``), checked against libphonenumber's plan.

    Raises:
        ValueError: for a number not written in E.164 (the message proposes the E.164 form
            when the text can be read as a number), or one no numbering plan allows.
    """
    text = value.strip()
    if not E164.match(text):
        proposal = _as_e164(text)
        hint = (
            f"write '{proposal}'"
            if proposal
            else f"write '+', the country code and the number, without spaces, e.g. "
            f"'{EXAMPLE_PHONE}'"
        )
        raise ValueError(
            f"is '{_shown(text)}', which is not a telephone number in E.164 form; {hint} "
            "(pages show it in the national format, e.g. '(416) 555-0142')"
        )
    import phonenumbers

    number = phonenumbers.parse(text, None)
    if not phonenumbers.is_valid_number(number):
        raise ValueError(
            f"is '{text}', which no telephone numbering plan allows (check the country code "
            f"and the number of digits); e.g. '{EXAMPLE_PHONE}'"
        )
    return text


def _as_e164(text: str) -> str | None:
    """The E.164 form of a number written with spaces, dots, dashes or brackets, if any."""
    if not text.startswith("+"):
        return None
    import phonenumbers

    try:
        number = phonenumbers.parse(text, None)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def not_a_number(value: object) -> object:
    """YAML reads an unquoted ``+14165550142`` as the integer 14165550142: say so."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        raise ValueError(
            f"is {value}, a number: YAML drops the '+' of an unquoted telephone number; write "
            f'it in quotes, e.g. "{EXAMPLE_PHONE}"'
        )
    return value


def check_portal(value: str) -> str:
    """The help-desk portal's address: ``https://`` and a host, nothing a browser reads otherwise.

    Raises:
        ValueError: for another scheme (``http:`` is refused too: clients sign in there), a
            relative address, a missing host, credentials in the address, or spaces.
    """
    text = value.strip()
    problem = link_problem(text)
    if problem:
        raise ValueError(f"{problem}; the portal's address must start with https://")
    read = browser_url(text)
    scheme = url_scheme(text)
    if scheme != "https" or read != text or not text.lower().startswith("https://"):
        raise ValueError(
            f"is '{_shown(text)}', which is not an https:// address; clients sign in to the "
            f"portal, so write its secure address, e.g. '{EXAMPLE_PORTAL}'"
        )
    parts = urlsplit(text)
    if len(text) > MAX_URL or not parts.hostname or "@" in parts.netloc or " " in text:
        raise ValueError(
            f"is '{_shown(text)}', which is not a web address with a host name (and no user "
            f"name or spaces); e.g. '{EXAMPLE_PORTAL}'"
        )
    return text


def _shown(text: str) -> str:
    shown = " ".join(text.split())
    return shown if len(shown) <= 60 else shown[:57] + "..."


# --- how pages show them ------------------------------------------------------------------


def phone_label(e164: str) -> str:
    """``+14165550142`` -> ``(416) 555-0142``: the national format of the number's country."""
    import phonenumbers

    number = phonenumbers.parse(e164, None)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)


def portal_label(url: str) -> str:
    """``https://help.example.com/desk/`` -> ``help.example.com/desk``: what a reader types."""
    parts = urlsplit(url)
    return (parts.hostname or "") + parts.path.rstrip("/")


def mailto(address: str, subject: str | None = None, body: str | None = None) -> str:
    """A ``mailto:`` URL (RFC 6068) with its subject and body percent-encoded."""
    query = []
    if subject:
        query.append("subject=" + quote(subject, safe=""))
    if body:
        query.append("body=" + quote(body, safe=""))
    # RFC 6068: '%', '?', '&', '#' (and '/' ...) may be in a valid local part; encoded here so
    # that they stay part of the address instead of starting a query or a fragment.
    encoded = quote(address, safe="@!$'()*+,;=-._~")
    return f"mailto:{encoded}" + ("?" + "&".join(query) if query else "")


def tel(e164: str) -> str:
    """``tel:+14165550142`` (RFC 3966: the global number, no separators)."""
    return f"tel:{e164}"
