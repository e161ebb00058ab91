using Portal.Core.Common;

namespace Portal.Core.Artifacts;

/// <summary>Paths of files inside a version: relative, forward slashes, no traversal, no unsafe characters (<see cref="Names"/>).</summary>
public static class ArtifactPath
{
    public const int MaxLength = 500;

    private static readonly string[] UnsafeExtensions = [".pkl", ".pickle", ".joblib", ".pt", ".pth", ".bin", ".ckpt", ".npy", ".npz", ".sav", ".dill", ".cloudpickle"];

    public static Result<string> Normalize(string? path)
    {
        var invalid = Error.Validation("artifact.path-invalid",
            "The file path must be relative (like model/weights.onnx), without '..', absolute parts, backslashes, control or bidirectional-formatting characters.");
        if (string.IsNullOrWhiteSpace(path) || path.Length > MaxLength)
            return invalid;
        // '%' is refused too: a still-encoded name would mean different files to different clients.
        if (Names.HasUnsafeCharacters(path) || path.Any(c => c is '\\' or ':' or '%') || path.StartsWith('/') || path.EndsWith('/'))
            return invalid;
        var segments = path.Split('/');
        if (segments.Any(s => s.Length == 0 || s == "." || s == ".." || s.Trim() != s))
            return invalid;
        return path;
    }

    /// <summary>Formats that execute code when loaded (pickle and its relatives): flagged, never opened by the server.</summary>
    public static bool IsUnsafeFormat(string path) =>
        UnsafeExtensions.Any(e => path.EndsWith(e, StringComparison.OrdinalIgnoreCase));
}
