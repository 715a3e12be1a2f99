"""Entity lists and their versions, the watch-list version stamp, screening runs and their hits.

An entity list keeps every version it was loaded in (``ListVersion``, each with its own entries):
a detention under the UFLPA presumption points at the entry of the version it relied on, and the
diff between two versions shows what a Federal Register notice added or removed. Only the
current version's entries are screened.

The watch list itself is not stored: it is compiled from the active orders and the entity lists
(``watchlist.py``) and cached in memory under ``WatchListStamp.version``, which every change to an
order, scope rule, entity or list raises (signals in ``apps.py``; the list loader itself).
"""

from django.conf import settings
from django.db import models

from withhold.core.models import TimeStampedModel


class EntityList(TimeStampedModel):
    """A list of named parties loaded from a file: the UFLPA Entity List, or any CSV list."""

    source = models.CharField(
        max_length=80,
        unique=True,
        help_text="Short name of the list (e.g. “uflpa”); loading a file under the same source "
        "makes a new version of the list when it changes the entries (the old versions stay).",
    )
    file_name = models.CharField(max_length=255, help_text="Name of the file last loaded.")
    sha256 = models.CharField(max_length=64, help_text="SHA-256 of the file last loaded.")
    entry_count = models.PositiveIntegerField(default=0)
    is_reference = models.BooleanField(
        default=False, help_text="Loaded from the public reference data by load-reference."
    )
    version = models.PositiveIntegerField(
        default=1,
        help_text="Raised each time a loaded file changes the list's entries; a judgement on a "
        "hit against the list holds for one version.",
    )
    loaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    current_version = models.ForeignKey(
        "ListVersion",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The version screened: the one whose number is ``version``.",
    )

    class Meta:
        ordering = ["source"]

    def __str__(self) -> str:
        return f"{self.source} ({self.entry_count} entries)"

    @property
    def current_entries(self) -> models.QuerySet["ListEntry"]:
        """The entries of the current version: what the watch list screens."""
        return ListEntry.objects.filter(list_version_id=self.current_version_id)


class ListVersion(TimeStampedModel):
    """One version of an entity list: the file that made it and the entries it held.

    The UFLPA Entity List grows (and shrinks) by Federal Register notices, each with its
    effective date; a version records the date its changes took effect, so a detention can say
    which list it relied on. Versions are never deleted: detentions point at their entries."""

    entity_list = models.ForeignKey(EntityList, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(
        help_text="1 for the first load, then one more for each load that changed the entries; "
        "hits and judgements carry it as “list v<number>”."
    )
    file_name = models.CharField(max_length=255, help_text="Name of the file loaded.")
    sha256 = models.CharField(max_length=64, help_text="SHA-256 of the file loaded.")
    loaded_at = models.DateTimeField()
    loaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Empty for the command line and the reference data.",
    )
    effective_on = models.DateField(
        help_text="When the version's changes took effect (for the UFLPA list, the effective "
        "date of the Federal Register notice); the agency's day of the load unless given."
    )
    entry_count = models.PositiveIntegerField(default=0)
    added_count = models.PositiveIntegerField(
        default=0, help_text="Entries added since the version before (all of them for the first)."
    )
    removed_count = models.PositiveIntegerField(
        default=0, help_text="Entries of the version before that this one no longer holds."
    )
    changed_count = models.PositiveIntegerField(
        default=0,
        help_text="Entries kept from the version before with another name, aliases, country, "
        "address or number.",
    )

    class Meta:
        ordering = ["entity_list", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["entity_list", "number"], name="list_version_one_per_number"
            )
        ]

    def __str__(self) -> str:
        return f"{self.entity_list.source} version {self.number}"

    @property
    def is_current(self) -> bool:
        return self.entity_list.current_version_id == self.pk


class ListEntry(models.Model):
    """One named party of one version of an entity list."""

    entity_list = models.ForeignKey(
        EntityList, on_delete=models.CASCADE, related_name="all_entries"
    )
    list_version = models.ForeignKey(ListVersion, on_delete=models.CASCADE, related_name="entries")
    row_number = models.PositiveIntegerField(
        help_text="Row in the loaded file, counting the header as row 1."
    )
    number = models.PositiveIntegerField(
        help_text="The entry's number as the list itself numbers it (its ``number`` column, or "
        "its position in the list from 1); hits name the entry “<source> #<number>”."
    )
    name = models.CharField(max_length=400)
    aliases = models.JSONField(default=list, blank=True, help_text="Other names, as written.")
    country = models.CharField(
        max_length=2, blank=True, help_text="ISO 3166-1 alpha-2 code, when the list gives one."
    )
    address = models.TextField(blank=True)
    note = models.CharField(
        max_length=400, blank=True, help_text="The row's own source or citation, if given."
    )
    effective_on = models.DateField(
        null=True,
        blank=True,
        help_text="When the entry took effect: the file's effective_date for the row, else the "
        "version's effective date.",
    )

    class Meta:
        ordering = ["entity_list", "list_version", "number"]
        verbose_name_plural = "list entries"
        indexes = [models.Index(fields=["entity_list", "number"])]
        constraints = [
            models.UniqueConstraint(
                fields=["list_version", "number"], name="list_entry_one_per_number"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def current_counterpart(self) -> "ListEntry | None":
        """The same party in the list's current version, paired as the version diff pairs
        entries (``entity_lists.diff_entries``): the entry itself when its version is current,
        else the current entry of the same name, else the one of the same number when its name
        was not in this entry's version (renamed). None when the party has since been removed."""
        current_id = self.entity_list.current_version_id
        if current_id == self.list_version_id:
            return self
        if current_id is None:
            return None
        current = ListEntry.objects.filter(list_version_id=current_id)
        same_name = current.filter(name__iexact=self.name).order_by("number").first()
        if same_name is not None:
            return same_name
        same_number = current.filter(number=self.number).first()
        if (
            same_number is None
            or ListEntry.objects.filter(
                list_version_id=self.list_version_id, name__iexact=same_number.name
            ).exists()
        ):
            return None
        return same_number


class WatchListStamp(models.Model):
    """One row whose ``version`` rises whenever anything the watch list is compiled from changes."""

    version = models.PositiveBigIntegerField(default=1)
    changed_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"watch list version {self.version}"


class ScreeningRun(TimeStampedModel):
    """One uploaded file of entry lines, screened in the background."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    file = models.FileField(upload_to="screening/runs/%Y/%m/", blank=True)
    trigger = models.CharField(
        max_length=300,
        blank=True,
        help_text="For a re-screening of the stored lines: the change that caused it (an order "
        "issued or modified, a list loaded). Empty for an uploaded file.",
    )
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.QUEUED)
    total_lines = models.PositiveIntegerField(
        default=0, help_text="Data rows in the file, known once it has been read."
    )
    done_lines = models.PositiveIntegerField(default=0, help_text="Rows screened so far.")
    summary = models.JSONField(
        default=dict, blank=True, help_text="Lines, hits by kind and errors, when done."
    )
    row_errors = models.JSONField(
        default=list, blank=True, help_text="Rows refused, with row number, column and message."
    )
    failure = models.TextField(blank=True, help_text="Why the run failed, if it did.")
    watch_list_version = models.PositiveBigIntegerField(null=True, blank=True)
    is_demo = models.BooleanField(
        default=False, help_text="Made-up run from the demo data set, not real entry lines."
    )
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="screening_runs",
        help_text="Who uploaded the file, or whose change caused the re-screening (empty for "
        "the command line).",
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        permissions = [("run_screening", "Can screen a file of entry lines")]

    def __str__(self) -> str:
        return f"Screening run {self.pk}: {self.original_name}"

    @property
    def is_rescreening(self) -> bool:
        return bool(self.trigger)

    @property
    def percent_done(self) -> int:
        if not self.total_lines:
            return 100 if self.status == self.Status.DONE else 0
        return min(100, round(100 * self.done_lines / self.total_lines))

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)


class ScreeningHit(models.Model):
    """One hit: an entry line that matched a watch-list reference, with the line's own data so a
    detention can be prefilled from it."""

    class Kind(models.TextChoices):
        ORDER = "order", "Order"
        LIST = "list", "Entity list"
        CAATSA = "caatsa", "CAATSA presumption"

    class Action(models.TextChoices):
        DETAIN = "detain", "Detain"
        REVIEW = "review", "Review"

    run = models.ForeignKey(ScreeningRun, on_delete=models.CASCADE, related_name="hits")
    position = models.PositiveIntegerField(help_text="Order of the hit in the run's output.")
    row_number = models.PositiveIntegerField(help_text="Row of the line in the uploaded file.")
    line_id = models.CharField(max_length=100)
    entry_number = models.CharField(max_length=40, blank=True)
    entry_date = models.CharField(max_length=10, blank=True)
    importer_name = models.CharField(max_length=400, blank=True)
    manufacturer_name = models.CharField(max_length=400, blank=True)
    manufacturer_address = models.TextField(blank=True)
    shipper_name = models.CharField(max_length=400, blank=True)
    country_of_origin = models.CharField(max_length=2, blank=True)
    hts_code = models.CharField(max_length=14, blank=True)
    description = models.TextField(blank=True)
    vessel_name = models.CharField(max_length=200, blank=True)
    hit_kind = models.CharField(max_length=8, choices=Kind.choices)
    hit_ref = models.CharField(max_length=120, help_text="Order number, list row or CAATSA.")
    hit_name = models.CharField(max_length=400)
    score = models.PositiveSmallIntegerField(help_text="0–100.")
    action = models.CharField(max_length=8, choices=Action.choices)
    reasons = models.TextField(help_text="What agreed and what did not, in words.")
    order = models.ForeignKey(
        "orders.Order", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    screened_line = models.ForeignKey(
        "ScreenedLine",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="hits",
        help_text="The stored entry line (empty once the retention period purged it).",
    )
    party_key = models.CharField(
        max_length=400,
        blank=True,
        help_text="The matched party's name as the screening normaliser writes it: with "
        "``hit_kind``, ``hit_ref`` and ``basis_version`` it finds the hit's judgement.",
    )
    basis_version = models.CharField(
        max_length=40,
        blank=True,
        help_text="The version of what was hit: the entity list's version, or the number of "
        "changes to the order; a new version re-opens judgements.",
    )

    class Meta:
        ordering = ["run", "position"]
        indexes = [
            models.Index(fields=["run", "position"]),
            models.Index(fields=["party_key", "hit_ref", "basis_version"]),
        ]

    def __str__(self) -> str:
        return f"{self.line_id}: {self.hit_ref} ({self.score})"


class ScreenedLine(models.Model):
    """An entry line as it was screened, kept so that a new order or list entry can be checked
    against past entries (re-screening). Purged after ``SCREENING_RETENTION_DAYS``."""

    run = models.ForeignKey(ScreeningRun, on_delete=models.CASCADE, related_name="lines")
    row_number = models.PositiveIntegerField(help_text="Row of the line in the uploaded file.")
    screened_at = models.DateTimeField(db_index=True)
    line_id = models.CharField(max_length=100)
    entry_number = models.CharField(max_length=40, blank=True)
    entry_date = models.CharField(max_length=10, blank=True)
    importer_name = models.CharField(max_length=400, blank=True)
    manufacturer_name = models.CharField(max_length=400, blank=True)
    manufacturer_address = models.TextField(blank=True)
    shipper_name = models.CharField(max_length=400, blank=True)
    country_of_origin = models.CharField(max_length=2, blank=True)
    hts_code = models.CharField(max_length=14, blank=True)
    description = models.TextField(blank=True)
    vessel_name = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["run", "row_number"]
        indexes = [models.Index(fields=["run", "row_number"])]

    def __str__(self) -> str:
        return f"{self.line_id} (run {self.run_id}, row {self.row_number})"


class HitJudgement(TimeStampedModel):
    """A targeting analyst's word on a hit: a true match or a false positive, with a note.

    Keyed by the party's normalised name, the listed entry (``hit_kind`` + ``hit_ref``) and the
    version of the list or order (``basis_version``), so that it applies again to the same name
    in a later run; a new list version or a changed order gives a new key and re-opens the hit."""

    class Verdict(models.TextChoices):
        TRUE_MATCH = "true_match", "True match"
        FALSE_POSITIVE = "false_positive", "False positive"

    party_key = models.CharField(
        max_length=400, blank=True, help_text="Empty when the line names no party (CAATSA)."
    )
    party_name = models.CharField(
        max_length=400, blank=True, help_text="The party's name as last judged."
    )
    hit_kind = models.CharField(max_length=8, choices=ScreeningHit.Kind.choices)
    hit_ref = models.CharField(max_length=120)
    hit_name = models.CharField(max_length=400)
    basis_version = models.CharField(max_length=40, blank=True)
    verdict = models.CharField(max_length=16, choices=Verdict.choices)
    note = models.TextField(help_text="Why: what the analyst checked.")
    hit = models.ForeignKey(
        ScreeningHit,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The hit the judgement was recorded on.",
    )
    judged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="hit_judgements"
    )

    class Meta:
        ordering = ["-updated_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["party_key", "hit_kind", "hit_ref", "basis_version"],
                name="hit_judgement_one_per_key",
            ),
            models.CheckConstraint(
                condition=models.Q(verdict__in=["true_match", "false_positive"]),
                name="hit_judgement_verdict_known",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.party_name} / {self.hit_ref}: {self.get_verdict_display()}"


class OrderScreeningState(models.Model):
    """What the watch list last held for an order, so that a save which changed nothing that
    screening sees does not re-screen the stored lines."""

    order = models.OneToOneField("orders.Order", on_delete=models.CASCADE, related_name="+")
    fingerprint = models.CharField(max_length=64)
    basis_version = models.CharField(max_length=40)

    def __str__(self) -> str:
        return f"order {self.order_id}: {self.basis_version}"
