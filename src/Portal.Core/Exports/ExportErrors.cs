using Portal.Core.Common;

namespace Portal.Core.Exports;

/// <summary>The stable error codes of exports and of the export check, documented in the API reference.</summary>
public static class ExportErrors
{
    public static Error NotFound(string id) => Error.NotFound("export.not-found", $"There is no export {id} issued to you.");
    public static Error Invalid(string field, string message) => Error.Validation("export.invalid", message,
        new Dictionary<string, string[]> { [field] = [message] });
    public static Error NotReady(ExportState state) => Error.Conflict("export.not-ready",
        state == ExportState.Failed ? "The export failed; nothing can be downloaded. Start a new one." : "The export is still being made; poll it until it is Completed.");
    public static readonly Error FileEmpty = Error.Validation("export.file-empty", "The file is empty: choose the PDF or JSON file the portal issued.");
    public static readonly Error FileTooLarge = Error.TooLarge("export.file-too-large",
        $"The file is larger than any export the portal issues ({AuditExport.MaxFileBytes / 1024 / 1024} MB).");
    public static readonly Error NotAnExport = Error.Validation("export.file-malformed",
        "This is neither a PDF nor a JSON file, so it cannot be an export of the portal.");
    public static readonly Error DamagedPdf = Error.Validation("export.file-malformed",
        "This PDF is incomplete or damaged (it has no end-of-file marker); download the export again.");
    public static readonly Error DamagedJson = Error.Validation("export.file-malformed",
        "This JSON file is not well-formed; it was changed or cut short after it was issued.");
}
