using System.Globalization;

namespace Portal.Benchmarks;

/// <summary>
/// This process's memory from the kernel (/proc/self/status) and the GC: the resident set split into
/// anonymous memory (heaps, native allocations) and file-backed pages (mapped assemblies and native
/// libraries), the managed heap after the last collection, and the resident peak, which
/// <see cref="ResetPeak"/> sets back to the resident set now (clear_refs 5).
/// </summary>
internal sealed record ProcessMemory(double RssMb, double AnonMb, double FileMb, double ManagedHeapMb, double Gen2Mb, double LargeObjectsMb, double GcCommittedMb)
{
    public static ProcessMemory Now()
    {
        var info = GC.GetGCMemoryInfo();
        var generations = info.GenerationInfo;
        return new ProcessMemory(StatusMb("VmRSS:"), StatusMb("RssAnon:"), StatusMb("RssFile:") + StatusMb("RssShmem:"),
            Mb(info.HeapSizeBytes), Mb(generations[2].SizeAfterBytes), Mb(generations[3].SizeAfterBytes), Mb(info.TotalCommittedBytes));
    }

    /// <summary>Sets the kernel's resident peak (VmHWM) back to the resident set now.</summary>
    public static void ResetPeak() => File.WriteAllText("/proc/self/clear_refs", "5");

    public static double PeakMb() => StatusMb("VmHWM:");

    /// <summary>
    /// Full compacting collections, large objects included, so that a measurement starts from the live set. Twice: what
    /// waits for a finalizer (native wrappers, and the buffers they hold) survives the first and goes only with the second.
    /// </summary>
    public static void Collect()
    {
        for (var pass = 0; pass < 2; pass++)
        {
            System.Runtime.GCSettings.LargeObjectHeapCompactionMode = System.Runtime.GCLargeObjectHeapCompactionMode.CompactOnce;
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
        }
    }

    public override string ToString() =>
        $"resident {RssMb:0} MB (anonymous {AnonMb:0}, file-backed {FileMb:0}), managed heap {ManagedHeapMb:0} MB "
        + $"(gen2 {Gen2Mb:0}, large objects {LargeObjectsMb:0}), GC committed {GcCommittedMb:0} MB";

    /// <summary>
    /// Samples the private (anonymous) resident memory every 2 ms until disposed: the kernel keeps a peak of the whole
    /// resident set only, and that counts the mapped assemblies and native libraries, pages shared with every other
    /// process that maps them and dropped by the kernel when it needs room.
    /// </summary>
    public sealed class PrivatePeak : IDisposable
    {
        private readonly Thread _thread;
        private volatile bool _stop;

        public PrivatePeak()
        {
            MaxMb = StatusMb("RssAnon:");
            _thread = new Thread(() =>
            {
                while (!_stop)
                {
                    MaxMb = Math.Max(MaxMb, StatusMb("RssAnon:"));
                    Thread.Sleep(2);
                }
            }) { IsBackground = true, Priority = ThreadPriority.AboveNormal };
            _thread.Start();
        }

        public double MaxMb { get; private set; }

        public void Dispose()
        {
            _stop = true;
            _thread.Join();
            MaxMb = Math.Max(MaxMb, StatusMb("RssAnon:"));
        }
    }

    private static double Mb(long bytes) => Math.Round(bytes / 1048576.0, 1);

    private static double StatusMb(string key)
    {
        var line = File.ReadLines("/proc/self/status").First(l => l.StartsWith(key, StringComparison.Ordinal));
        return Math.Round(long.Parse(line[key.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) / 1024.0, 1);
    }
}
