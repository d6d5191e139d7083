"""Phone numbers for the WhatsApp/SMS gateway, parsed by the phonenumbers library (Indonesia by default)."""
from __future__ import annotations

import phonenumbers
from django.utils.translation import gettext as _


def normalise_phone(raw: str, region: str = "ID") -> str:
    """'0812-3456-7890' → '+6281234567890'. Raises ValueError with a message in Bahasa Indonesia."""
    try:
        number = phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException as exc:
        raise ValueError(_("Nomor telepon tidak dapat dibaca: %(raw)s") % {"raw": raw}) from exc
    if not phonenumbers.is_valid_number(number):
        raise ValueError(_("Nomor telepon tidak valid: %(raw)s") % {"raw": raw})
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
