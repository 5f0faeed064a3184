"""The call definitions this laptop knows: bundled examples and imported ones.

Bundled definitions are read from ``resources/calls`` when first needed;
imported (or, later, downloaded) ones live in the store. For each call id the
highest version wins.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar

from mms_desktop.core.calls import bundled_call_documents
from mms_desktop.domain.call_heading import CallHeading, call_heading
from mms_desktop.domain.document_errors import DocumentError
from mms_desktop.services.errors import UserError
from mms_desktop.services.files import read_json_file
from mms_desktop.storage.store import Store, StoredCall

if TYPE_CHECKING:
    from mms_desktop.domain.call import CallDefinition

log = logging.getLogger(__name__)

BUNDLED = "bundled"
IMPORTED = "imported"


class KnownCall(NamedTuple):
    definition: CallDefinition
    raw: dict[str, Any]
    source: str


def parse_call(raw: Any) -> CallDefinition:
    """Schema check, then the domain reading; a UserError names the bad field."""
    from mms_desktop.domain.call import CALL_SCHEMA, CALL_SCHEMA_VERSION, CallDefinition
    from mms_desktop.services import schemas  # jsonschema: first use

    schemas.check(raw, schemas.CALL, CALL_SCHEMA, CALL_SCHEMA_VERSION)
    try:
        definition = CallDefinition.from_dict(raw)
        for problem in definition.inconsistencies():
            raise problem
    except DocumentError as error:
        raise UserError(
            "import.invalid_field", field=error.field, problem=f"document.{error.reason}"
        ) from None
    return definition


def bundled_calls(documents: list[dict[str, Any]] | None = None) -> list[KnownCall]:
    """The example calls shipped with the program (from ``documents`` when read already)."""
    from mms_desktop.domain.call import CallDefinition  # see CallCatalog.heading

    if documents is None:
        documents = bundled_call_documents()
    return [KnownCall(CallDefinition.from_dict(raw), raw, BUNDLED) for raw in documents]


Read = TypeVar("Read")


class CallCatalog:
    def __init__(self, store: Store) -> None:
        self._store = store
        self._cache: dict[str, KnownCall] | None = None
        self._headings: dict[str, CallHeading] | None = None
        self._bundled: list[dict[str, Any]] | None = None

    def _bundled_documents(self) -> list[dict[str, Any]]:
        """The bundled calls' files, read once for the headings and the definitions."""
        if self._bundled is None:
            self._bundled = bundled_call_documents()
        return self._bundled

    def _newest(
        self,
        bundled: Iterable[Read],
        read: Callable[[StoredCall], Read],
        id_and_version: Callable[[Read], tuple[str, int]],
    ) -> dict[str, Read]:
        """Each call's newest version: the bundled ones, then the store's (which win a tie)."""
        stored = []
        for item in self._store.stored_calls():
            try:
                stored.append(read(item))
            except DocumentError:
                # Stored definitions passed the same checks on import; one that
                # no longer reads is a bug, not the user's problem.
                log.exception("stored call %s v%s does not read", item.id, item.version)
        newest: dict[str, Read] = {}
        for known in [*bundled, *stored]:
            call_id, version = id_and_version(known)
            current = newest.get(call_id)
            if current is None or version >= id_and_version(current)[1]:
                newest[call_id] = known
        return newest

    def _load(self) -> dict[str, KnownCall]:
        if self._cache is None:
            from mms_desktop.domain.call import CallDefinition  # see heading

            self._cache = self._newest(
                bundled_calls(self._bundled_documents()),
                lambda item: KnownCall(
                    CallDefinition.from_dict(item.definition), item.definition, item.source
                ),
                lambda known: (known.definition.id, known.definition.version),
            )
        return self._cache

    def heading(self, call_id: str) -> CallHeading | None:
        """What a list shows of a call (the newest version), without reading its rules.

        The window's first list asks this of every application; reading whole
        definitions (and loading ``domain.call``) waits until one is opened.
        """
        if self._headings is None:
            self._headings = self._newest(
                [call_heading(raw) for raw in self._bundled_documents()],
                lambda item: call_heading(item.definition),
                lambda heading: (heading.id, heading.version),
            )
        return self._headings.get(call_id)

    def all(self) -> list[KnownCall]:
        return sorted(self._load().values(), key=lambda known: known.definition.deadline)

    def get(self, call_id: str) -> CallDefinition:
        known = self._load().get(call_id)
        if known is None:
            raise UserError("call.unknown", call_id=call_id)
        return known.definition

    def find_version(self, call_id: str, version: int) -> CallDefinition | None:
        """A given version of a call (the one a frozen document names), if known."""
        from mms_desktop.domain.call import CallDefinition

        for item in self._store.stored_calls():
            if item.id == call_id and item.version == version:
                return CallDefinition.from_dict(item.definition)
        known = self._load().get(call_id)
        if known is not None and known.definition.version == version:
            return known.definition
        return None

    def find(self, call_id: str) -> CallDefinition | None:
        known = self._load().get(call_id)
        return None if known is None else known.definition

    def invalidate(self) -> None:
        """Read the known calls again (after one was imported or downloaded)."""
        self._cache = None
        self._headings = None

    def import_file(self, path: Path) -> CallDefinition:
        raw = read_json_file(path)
        definition = parse_call(raw)
        self._store.save_call(raw, IMPORTED)
        self.invalidate()
        return definition
