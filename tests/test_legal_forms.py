"""A new profile starts in the register its legal form is usually entered in."""

from __future__ import annotations

import pytest

from mms_desktop.domain.legal_forms import new_organization, usual_register
from mms_desktop.domain.organization import LegalForm, RegisterType


@pytest.mark.parametrize(
    ("legal_form", "register"),
    [
        (LegalForm.KGW, RegisterType.ARIMR_KGW),
        (LegalForm.ORDINARY_ASSOCIATION, RegisterType.STAROSTA),
        (LegalForm.SPORTS_CLUB, RegisterType.STAROSTA),
        (LegalForm.INFORMAL_GROUP, RegisterType.NONE),
        (LegalForm.ASSOCIATION, RegisterType.KRS),
        (LegalForm.FOUNDATION, RegisterType.KRS),
        (LegalForm.OSP, RegisterType.KRS),
        (LegalForm.OTHER, RegisterType.KRS),
    ],
)
def test_each_legal_form_starts_in_its_usual_register(
    legal_form: LegalForm, register: RegisterType
) -> None:
    assert usual_register(legal_form) is register


def test_a_new_kgw_profile_is_named_and_in_the_kgw_register() -> None:
    organization = new_organization("org-1", "KGW w Łękawce", LegalForm.KGW)
    assert (organization.id, organization.name) == ("org-1", "KGW w Łękawce")
    assert organization.legal_form is LegalForm.KGW
    assert organization.register_type is RegisterType.ARIMR_KGW
