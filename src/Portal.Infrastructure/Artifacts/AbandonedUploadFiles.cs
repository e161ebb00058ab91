namespace Portal.Infrastructure.Artifacts;

/// <summary>Temporary files of uploads that died: both stores spool to a directory of <c>*.part</c> files.</summary>
internal static class AbandonedUploadFiles
{
    /// <summary>Removes the <c>*.part</c> files last written before <paramref name="cutoff"/>; returns how many.</summary>
    public static int RemoveOlderThan(string directory, DateTimeOffset cutoff)
    {
        if (!Directory.Exists(directory))
            return 0;
        var removed = 0;
        foreach (var file in Directory.EnumerateFiles(directory, "*.part"))
        {
            // A file its upload removed since the listing reads as written in 1601: look before judging its age.
            var info = new FileInfo(file);
            if (info.Exists && info.LastWriteTimeUtc < cutoff.UtcDateTime)
            {
                info.Delete();
                removed++;
            }
        }
        return removed;
    }
}
