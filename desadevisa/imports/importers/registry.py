"""Importers of craft units and memberships."""

from __future__ import annotations

import re

from django.db import connection
from django.utils.translation import gettext_lazy as _

from desadevisa.core.scoping import EVERYTHING, NOTHING
from desadevisa.imports import fields
from desadevisa.imports.importers.base import (
    CREATE,
    MAX_COUNT,
    MAX_WORKERS,
    OUT_OF_SCOPE,
    Importer,
    Row,
    copy_insert,
    pairs_filter,
    unknown_village,
    values_in,
    village_code_parser,
    villages_known,
)
from desadevisa.imports.models import ImportKind
from desadevisa.regions.models import Village
from desadevisa.registry.models import (
    CraftUnit,
    Membership,
    Organisation,
    OrganisationKind,
    QuantityUnit,
)
from desadevisa.registry.permissions import (
    CRAFT_UNIT_RULES,
    MEMBERSHIP_RULES,
    RegistryAction,
    craft_unit_creatable_villages,
    membership_creatable_units,
)
from desadevisa.registry.selectors import craft_unit_visibility, organisation_visibility
from desadevisa.registry.spreadsheets import CRAFT_UNIT_COLUMNS, MEMBERSHIP_COLUMNS

# Craft units ----------------------------------------------------------------------------------


class CraftUnitImporter(Importer):
    kind = ImportKind.CRAFT_UNITS
    model = CraftUnit
    columns = CRAFT_UNIT_COLUMNS
    key = ("village_code", "name")
    required = frozenset({"village_code", "name", "owner_name", "monthly_capacity"})
    compared = {
        "owner_name": "owner_name",
        "workers_women": "workers_women",
        "workers_men": "workers_men",
        "monthly_capacity": "monthly_capacity",
        "capacity_unit": "capacity_unit",
        "business_id": "business_id",
        "is_active": "is_active",
    }

    def build_parsers(self):
        return {
            "village_code": village_code_parser(),
            "name": fields.text(max_length=200, required=True),
            "owner_name": fields.text(max_length=200, required=True),
            "workers_women": fields.integer(maximum=MAX_WORKERS, default=0, numbers=self.numbers),
            "workers_men": fields.integer(maximum=MAX_WORKERS, default=0, numbers=self.numbers),
            "monthly_capacity": fields.integer(maximum=MAX_COUNT, numbers=self.numbers),
            "capacity_unit": fields.choice(QuantityUnit.choices, default=QuantityUnit.PIECE),
            "business_id": fields.pattern(
                re.compile(r"[0-9]{13}"),
                _("A business ID (NIB) is exactly 13 digits."),
                required=False,
            ),
            "is_active": fields.boolean(default=True),
        }

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._villages: dict[str, bool] = {}

    def resolve(self, rows):
        codes = {row.values["village_code"] for row in rows}
        known = self._known(codes)
        creatable_rule = craft_unit_creatable_villages(self.scope)
        if creatable_rule == EVERYTHING:
            creatable = known
        elif creatable_rule == NOTHING:
            creatable = set()
        else:
            creatable = set(
                Village.objects.filter(
                    creatable_rule, values_in(Village, "code", codes)
                ).values_list("code", flat=True)
            )
        keys = [self.key_of(row) for row in rows]
        existing = {
            (unit.village_id, unit.name): unit
            for unit in pairs_filter(CraftUnit.objects.all(), "village_id", "name", keys)
        }
        found = [existing[key] for key in keys if key in existing]
        changeable = self.changeable(CRAFT_UNIT_RULES, RegistryAction.CHANGE, found)
        readable = self.readable(CRAFT_UNIT_RULES, found)
        makers = self._manager_organisations(creatable) if not self.scope.is_national else {}
        for row, key in zip(rows, keys, strict=True):
            code = row.values["village_code"]
            unit = existing.get(key)
            if code not in known:
                unknown_village(row)
            elif unit is not None and unit.pk in changeable:
                self.compare(row, unit)
            elif unit is not None and unit.pk in readable:
                self.compare_read_only(row, unit)
            elif unit is None and code in creatable:
                row.action = CREATE
                if code in makers and not (self.scope.province_codes and self._in_province(code)):
                    row.extra["organisation_id"] = makers[code]
            else:
                row.fail("village_code", OUT_OF_SCOPE)

    def _known(self, codes: set[str]) -> set[str]:
        """The villages among ``codes``, each looked up once per file: files name the same
        villages over and over. A village deleted meanwhile is still refused: the database
        checks each new unit's village when the transaction commits."""
        missing = codes - self._villages.keys()
        if missing:
            found = villages_known(missing)
            self._villages.update((code, code in found) for code in missing)
        return {code for code in codes if self._villages[code]}

    def _in_province(self, code: str) -> bool:
        return code[:2] in self.scope.province_codes

    def _manager_organisations(self, villages: set[str]) -> dict[str, int]:
        """For an organisation manager, the organisation whose running membership a new unit
        of each village starts (the first by name when they manage several there)."""
        if not self.scope.organisation_ids or not villages:
            return {}
        chosen: dict[str, int] = {}
        for village_id, pk in (
            Organisation.objects.filter(
                pk__in=sorted(self.scope.organisation_ids), village_id__in=sorted(villages)
            )
            .order_by("legal_name", "pk")
            .values_list("village_id", "pk")
        ):
            chosen.setdefault(village_id, pk)
        return chosen

    def build(self, row):
        values = row.values
        return CraftUnit(
            village_id=values["village_code"],
            name=values["name"],
            **{attribute: values[name] for name, attribute in self.compared.items()},
        )

    def insert(self, rows):
        """On PostgreSQL, COPY: the rows' values as ``build`` would give them, without a model
        instance each (no ``row.instance`` then). Elsewhere ``bulk_create``."""
        if connection.vendor != "postgresql":
            super().insert(rows)
            return
        columns = ["village_id", "name", *self.compared.values()]
        names = ["village_code", "name", *self.compared]
        values = [tuple(row.values[name] for name in names) for row in rows]
        for row, pk in zip(rows, copy_insert(CraftUnit, columns, values), strict=True):
            row.pk = pk

    def after_write(self, rows, *, now):
        memberships = [
            Membership(
                craft_unit_id=row.pk,
                organisation_id=row.extra["organisation_id"],
                started_on=self.today,
            )
            for row in rows
            if row.action == CREATE and "organisation_id" in row.extra
        ]
        if memberships:
            Membership.objects.bulk_create(memberships)


# Memberships ----------------------------------------------------------------------------------


class MembershipImporter(Importer):
    kind = ImportKind.MEMBERSHIPS
    model = Membership
    columns = MEMBERSHIP_COLUMNS
    key = ("village_code", "craft_unit", "organisation_kind", "registration_number", "started_on")
    required = frozenset(key)
    compared = {"ended_on": "ended_on"}

    def build_parsers(self):
        return {
            "village_code": village_code_parser(),
            "craft_unit": fields.text(max_length=200, required=True),
            "organisation_kind": fields.choice(OrganisationKind.choices),
            "registration_number": fields.text(max_length=100, required=True),
            "started_on": fields.date(),
            "ended_on": fields.date(required=False),
        }

    def check(self, row):
        ended, started = row.values["ended_on"], row.values["started_on"]
        if ended is not None and ended < started:
            row.fail("ended_on", _("A membership cannot end before it starts."))

    def resolve(self, rows):
        codes = sorted({row.values["village_code"] for row in rows})
        known = villages_known(codes)
        units = {
            (unit.village_id, unit.name): unit
            for unit in pairs_filter(
                CraftUnit.objects.filter(craft_unit_visibility(self.scope)),
                "village_id",
                "name",
                ((row.values["village_code"], row.values["craft_unit"]) for row in rows),
            )
        }
        organisations = {
            (organisation.kind, organisation.registration_number): organisation
            for organisation in Organisation.objects.filter(
                organisation_visibility(self.scope),
                registration_number__in=sorted({row.values["registration_number"] for row in rows}),
            ).select_related("village")
        }
        for row in rows:
            if row.values["village_code"] not in known:
                unknown_village(row)
                continue
            unit = units.get((row.values["village_code"], row.values["craft_unit"]))
            organisation = organisations.get(
                (row.values["organisation_kind"], row.values["registration_number"])
            )
            if unit is None:
                row.fail(
                    "craft_unit",
                    _("No craft unit of that name that you may see is in village %(code)s.")
                    % {"code": row.values["village_code"]},
                )
            if organisation is None:
                row.fail(
                    "registration_number",
                    _("No organisation of that kind and registration number that you may see."),
                )
            row.extra.update(unit=unit, organisation=organisation)
        rows = [row for row in rows if not row.errors]
        existing = {
            (
                membership.craft_unit_id,
                membership.organisation_id,
                membership.started_on,
            ): membership
            for membership in pairs_filter(
                Membership.objects.all(),
                "craft_unit_id",
                "organisation_id",
                ((row.extra["unit"].pk, row.extra["organisation"].pk) for row in rows),
            )
        }
        found = [existing[key] for row in rows if (key := self._pair_key(row)) in existing]
        changeable = self.changeable(MEMBERSHIP_RULES, RegistryAction.CHANGE, found)
        readable = self.readable(MEMBERSHIP_RULES, found)
        creatable = self._creatable(rows)
        for row in rows:
            membership = existing.get(self._pair_key(row))
            if membership is not None and membership.pk in changeable:
                self.compare(row, membership)
            elif membership is not None and membership.pk in readable:
                self.compare_read_only(row, membership)
                continue
            elif (
                membership is None
                and (
                    row.extra["unit"].pk,
                    row.extra["organisation"].pk,
                )
                in creatable
            ):
                row.action = CREATE
            else:
                row.fail("village_code", OUT_OF_SCOPE)
                continue
            if row.values["ended_on"] is None:
                self._check_one_running(row, existing.values())

    def _pair_key(self, row: Row) -> tuple:
        return (row.extra["unit"].pk, row.extra["organisation"].pk, row.values["started_on"])

    def _creatable(self, rows: list[Row]) -> set[tuple[int, int]]:
        pairs: set[tuple[int, int]] = set()
        by_organisation: dict[int, list[Row]] = {}
        for row in rows:
            by_organisation.setdefault(row.extra["organisation"].pk, []).append(row)
        for organisation_rows in by_organisation.values():
            organisation = organisation_rows[0].extra["organisation"]
            condition = membership_creatable_units(self.scope, organisation)
            if condition == NOTHING:
                continue
            unit_ids = sorted({row.extra["unit"].pk for row in organisation_rows})
            allowed = CraftUnit.objects.filter(condition, pk__in=unit_ids).values_list(
                "pk", flat=True
            )
            pairs.update((pk, organisation.pk) for pk in allowed)
        return pairs

    def _check_one_running(self, row: Row, memberships) -> None:
        unit, organisation = row.extra["unit"], row.extra["organisation"]
        for membership in memberships:
            if (
                membership.craft_unit_id == unit.pk
                and membership.organisation_id == organisation.pk
                and membership.ended_on is None
                and membership.started_on != row.values["started_on"]
            ):
                row.fail(
                    "ended_on",
                    _(
                        "This craft unit already has a running membership of this "
                        "organisation (since %(date)s); end that one first."
                    )
                    % {"date": membership.started_on.isoformat()},
                )
                row.action = ""
                return

    def build(self, row):
        return Membership(
            craft_unit=row.extra["unit"],
            organisation=row.extra["organisation"],
            started_on=row.values["started_on"],
            ended_on=row.values["ended_on"],
        )
