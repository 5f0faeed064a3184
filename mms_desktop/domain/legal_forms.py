"""Which register an organisation of a legal form is usually entered in.

A new profile starts with it; the volunteer may change it (a sports club may be
a KRS association). Foundations, associations, OSPs and other forms are in KRS.
"""

from __future__ import annotations

from mms_desktop.domain.organization import LegalForm, Organization, RegisterType

_REGISTER_FOR = {
    LegalForm.KGW: RegisterType.ARIMR_KGW,  # Krajowy Rejestr Kół Gospodyń Wiejskich
    LegalForm.ORDINARY_ASSOCIATION: RegisterType.STAROSTA,
    LegalForm.SPORTS_CLUB: RegisterType.STAROSTA,
    LegalForm.INFORMAL_GROUP: RegisterType.NONE,
}


def usual_register(legal_form: LegalForm) -> RegisterType:
    """The register a new profile of ``legal_form`` starts with."""
    return _REGISTER_FOR.get(legal_form, RegisterType.KRS)


def new_organization(organization_id: str, name: str, legal_form: LegalForm) -> Organization:
    """A new profile: its name, its legal form and the register that form is usually in."""
    return Organization(
        id=organization_id,
        name=name,
        legal_form=legal_form,
        register_type=usual_register(legal_form),
    )
