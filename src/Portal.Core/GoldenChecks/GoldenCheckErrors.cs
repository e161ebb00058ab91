using Portal.Core.Common;

namespace Portal.Core.GoldenChecks;

public static class GoldenCheckErrors
{
    public static Error NotFound(string name) => Error.NotFound("golden-check.not-found", $"This asset has no golden check '{name}'.");
    public static readonly Error Exists = Error.Conflict("golden-check.exists", "This asset already has a golden check with this name.");
    public static readonly Error Stale = Error.Conflict("golden-check.stale", "The check was changed by someone else; reload it and try again.");
    public static readonly Error VersionArchived = Error.Conflict("golden-check.version-archived",
        "This version was archived or purged: its files are not at hand. Restore it first (its Lifecycle tab), then run the check.");
    public static readonly Error VersionNotReady = Error.Conflict("golden-check.version-not-ready", "Only a Ready version can be checked: finalize it first.");
    public static readonly Error RunNotFound = Error.NotFound("golden-run.not-found", "There is no such golden-check run that you can see.");
    public static readonly Error NothingToClaim = Error.NotFound("golden-run.none-waiting", "No golden-check run is waiting for an external runner in this team.");
    public static readonly Error TicketInvalid = Error.Forbidden("golden-run.ticket-invalid", "The run ticket is missing, wrong or already used.");
    public static readonly Error FileNotInRun = Error.NotFound("golden-run.file-not-found", "This run has no file with that SHA-256.");
    public static readonly Error RunFinished = Error.Conflict("golden-run.finished", "This run has already finished or passed its deadline; start a new one.");
    public static readonly Error NoModelFile = Error.Conflict("golden-run.no-model-file",
        "The version holds no file the runner could have run (its content lives outside the portal): a golden check needs the model's file here.");

    public static Error Invalid(IReadOnlyDictionary<string, string[]> fields) =>
        Error.Validation("golden-check.invalid", "The golden check is not valid: see the fields.", fields);
}
