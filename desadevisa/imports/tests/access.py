"""Who may reach the import pages, for the permission matrix."""

from desadevisa.core.tests.matrix import Access, ObjectScoped, SignedIn


def job_of(records, **fields):
    """An import job of the province's officer (jobs are their creator's alone)."""
    from desadevisa.imports.models import ImportJob, ImportKind, ImportStatus

    return ImportJob.objects.create(
        kind=ImportKind.CRAFT_UNITS,
        created_by=records.officer,
        status=fields.pop("status", ImportStatus.INVALID),
        original_name="units.csv",
        **fields,
    )


PATTERNS: dict[str, Access] = {
    # Everyone signed in sees the page; the kinds offered are those their role may import.
    "imports:import-start": SignedIn(),
    # Templates hold column headers only.
    "imports:template": SignedIn(),
    "imports:job-detail": ObjectScoped(
        kwargs=lambda world, records: {"pk": job_of(records).pk},
        readers=frozenset({"provincial_officer"}),
        readers_everywhere=frozenset(),
    ),
    # A job with errors cannot be applied: its creator gets 409, everyone else 404.
    "imports:job-apply": ObjectScoped(
        kwargs=lambda world, records: {"pk": job_of(records).pk},
        readers=frozenset({"provincial_officer"}),
        readers_everywhere=frozenset(),
        method="post",
        status=409,
    ),
}
