"""The applicant: a registered organisation or an informal group with a Patron."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum


class LegalForm(StrEnum):
    ASSOCIATION = "association"  # stowarzyszenie
    ORDINARY_ASSOCIATION = "ordinary_association"  # stowarzyszenie zwykłe
    FOUNDATION = "foundation"  # fundacja
    KGW = "kgw"  # koło gospodyń wiejskich
    OSP = "osp"  # ochotnicza straż pożarna
    SPORTS_CLUB = "sports_club"  # klub sportowy
    INFORMAL_GROUP = "informal_group"  # grupa nieformalna
    OTHER = "other"


class RegisterType(StrEnum):
    KRS = "krs"  # Krajowy Rejestr Sądowy
    STAROSTA = "starosta"  # ewidencja starosty (stowarzyszenia zwykłe, kluby)
    ARIMR_KGW = "arimr_kgw"  # Krajowy Rejestr Kół Gospodyń Wiejskich (ARiMR)
    NONE = "none"


@dataclass(frozen=True)
class Person:
    name: str = ""
    role: str = ""
    phone: str = ""
    email: str = ""


@dataclass(frozen=True)
class YearRevenue:
    """Total revenue of one closed financial year."""

    year: int
    amount: Decimal


@dataclass(frozen=True)
class Patron:
    """The registered organisation that sponsors an informal group."""

    name: str = ""
    register_type: RegisterType = RegisterType.KRS
    register_number: str = ""
    nip: str = ""
    address: str = ""
    representative: str = ""


@dataclass(frozen=True)
class Organization:
    id: str
    name: str = ""
    short_name: str = ""
    legal_form: LegalForm = LegalForm.ASSOCIATION
    register_type: RegisterType = RegisterType.KRS
    register_number: str = ""
    nip: str = ""
    regon: str = ""
    street: str = ""
    postcode: str = ""
    locality: str = ""
    gmina: str = ""
    powiat: str = ""
    voivodeship: str = ""
    locality_population: int | None = None
    revenues: tuple[YearRevenue, ...] = ()
    website: str = ""
    # II.1 "adres do korespondencji"; empty means the same as the seat.
    correspondence_address: str = ""
    email: str = ""
    phone: str = ""
    bank_account: str = ""
    representatives: tuple[Person, ...] = ()
    contact: Person = field(default_factory=Person)
    members: tuple[Person, ...] = ()
    patron: Patron | None = None

    @property
    def is_informal_group(self) -> bool:
        return self.legal_form is LegalForm.INFORMAL_GROUP

    @property
    def highest_revenue(self) -> Decimal | None:
        """The highest yearly revenue of the closed years given (the 'small' test)."""
        if not self.revenues:
            return None
        return max(item.amount for item in self.revenues)

    def address_line(self) -> str:
        parts = [self.street, f"{self.postcode} {self.locality}".strip()]
        return ", ".join(part for part in parts if part)
