using Portal.Core.Common;

namespace Portal.Core.Versions;

/// <summary>The one output a DVC <c>.dvc</c> file tracks: its md5, size and path.</summary>
public sealed record DvcOutput(string Md5, long? Size, string Path);

public interface IDvcFileReader
{
    Result<DvcOutput> Read(string dvcFileText);
}

public static class DvcReference
{
    /// <summary>
    /// The version input for a dataset kept in DVC: the content hash is the md5 DVC recorded, and the
    /// location is that content in the DVC remote's cache (DVC 3 layout: files/md5/ab/cdef…).
    /// </summary>
    public static VersionInput ToVersionInput(DvcOutput output, string version, string remote, string? description) => new(
        version,
        Description: description ?? $"Imported from DVC: {output.Path}",
        Parameters: new Dictionary<string, string>
        {
            ["dvc.path"] = output.Path,
            ["dvc.size"] = output.Size?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "",
        },
        ExternalUri: $"{remote.TrimEnd('/')}/files/md5/{output.Md5[..2]}/{output.Md5[2..]}",
        ExternalHash: "md5:" + output.Md5);
}
