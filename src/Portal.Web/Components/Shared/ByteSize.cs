namespace Portal.Web.Components.Shared;

/// <summary>Sizes as people read them (binary units, as disks and quotas are sized).</summary>
public static class ByteSize
{
    public const long GiB = 1L << 30;

    public static string Format(long bytes) => bytes switch
    {
        < 1024 => $"{bytes} B",
        < 1024 * 1024 => $"{bytes / 1024.0:0.#} KiB",
        < GiB => $"{bytes / 1048576.0:0.#} MiB",
        _ => $"{bytes / (double)GiB:0.##} GiB",
    };
}
