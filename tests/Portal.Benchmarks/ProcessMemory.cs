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
    /// Samples a reading every 2 ms until disposed and keeps its highest value. <see cref="Private"/>: the anonymous
    /// resident memory (the kernel keeps a peak of the whole resident set only, and that counts the mapped assemblies
    /// and native libraries, pages shared with every process that maps them and dropped by the kernel when it needs
    /// room). <see cref="WorkingSet"/>: the whole resident set, for growth during a transfer.
    /// </summary>
    public sealed class Peak : IDisposable
    {
        private readonly Func<double> _read;
        private readonly Thread _thread;
        private volatile bool _stop;

        private Peak(Func<double> read)
        {
            _read = read;
            MaxMb = read();
            _thread = new Thread(() =>
            {
                while (!_stop)
                {
                    MaxMb = Math.Max(MaxMb, _read());
                    Thread.Sleep(2);
                }
            }) { IsBackground = true, Priority = ThreadPriority.AboveNormal };
            _thread.Start();
        }

        public static Peak Private()
        {
            var statm = new Statm();
            return new(() => statm.ReadMb(anonymousOnly: true));
        }

        public static Peak WorkingSet()
        {
            var statm = new Statm();
            return new(() => statm.ReadMb(anonymousOnly: false));
        }

        public double MaxMb { get; private set; }

        public void Dispose()
        {
            _stop = true;
            _thread.Join();
            MaxMb = Math.Max(MaxMb, _read());
        }
    }

    private static double Mb(long bytes) => Math.Round(bytes / 1048576.0, 1);

    /// <summary>
    /// /proc/self/statm (resident and file-backed pages) read into one buffer through one open handle: the sampler runs every
    /// 2 ms inside the measured process, and reading /proc/self/status as text made megabytes of strings that showed up as
    /// the server's own growth.
    /// </summary>
    private sealed class Statm
    {
        private readonly Microsoft.Win32.SafeHandles.SafeFileHandle _file = File.OpenHandle("/proc/self/statm");
        private readonly byte[] _buffer = new byte[128];

        public double ReadMb(bool anonymousOnly)
        {
            // Fields: size resident shared text lib data dt, in pages; resident minus shared is the anonymous memory (RssAnon).
            Span<byte> text = _buffer.AsSpan(0, RandomAccess.Read(_file, _buffer, 0));
            Span<long> fields = stackalloc long[3];
            for (var i = 0; i < fields.Length; i++)
            {
                if (!System.Buffers.Text.Utf8Parser.TryParse(text, out fields[i], out var used))
                    throw new InvalidOperationException("/proc/self/statm does not read as numbers.");
                text = text[Math.Min(used + 1, text.Length)..];
            }
            var pages = anonymousOnly ? fields[1] - fields[2] : fields[1];
            return Mb(pages * Environment.SystemPageSize);
        }
    }

    private static double StatusMb(string key)
    {
        var line = File.ReadLines("/proc/self/status").First(l => l.StartsWith(key, StringComparison.Ordinal));
        return Math.Round(long.Parse(line[key.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) / 1024.0, 1);
    }
}
