using System.Diagnostics;
using System.Globalization;
using System.Runtime;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace Portal.Benchmarks;

internal static class Stats
{
    /// <summary>The middle value (the upper one of an even count): a value that was measured, never an average of two.</summary>
    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted[sorted.Count / 2];
    }
}

/// <summary>The collector's pauses in this process (the portal's) over a stretch of a run: each pause delays every request in flight.</summary>
internal sealed record CollectorPauses(double Ms, int Collections)
{
    public readonly record struct Mark(TimeSpan Paused, int Collections);

    public static Mark Now() => new(GC.GetTotalPauseDuration(), GC.CollectionCount(0));

    public static CollectorPauses Since(Mark mark) =>
        new(Math.Round((GC.GetTotalPauseDuration() - mark.Paused).TotalMilliseconds, 1), GC.CollectionCount(0) - mark.Collections);

    public override string ToString() => $"the collector paused {Ms} ms in {Collections} collections";
}

/// <summary>CPU time read beside latencies: a latency target at N clients on few cores is a CPU budget per call.</summary>
internal static class Cpu
{
    public static TimeSpan ThisProcess() => Process.GetCurrentProcess().TotalProcessorTime;

    /// <summary>
    /// The CPU time of every PostgreSQL server process on the machine (none for SQLite, which runs inside this process), from
    /// /proc/{pid}/stat: utime and stime, fields 14 and 15, in clock ticks of 1/100 s.
    /// </summary>
    public static TimeSpan PostgresServer()
    {
        long ticks = 0;
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out _))
                continue;
            string stat;
            try
            {
                stat = File.ReadAllText(Path.Combine(dir, "stat"));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                continue; // a process that ended between the listing and the reading
            }
            var close = stat.LastIndexOf(')');
            if (stat[(stat.IndexOf('(') + 1)..close] != "postgres")
                continue;
            var fields = stat[(close + 2)..].Split(' ');
            ticks += long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        }
        return TimeSpan.FromSeconds(ticks / 100.0);
    }
}

/// <summary>Latency samples of one repeat, reduced to the figures the README quotes.</summary>
internal sealed record Latency(int Samples, double MedianMs, double P95Ms, double MaxMs)
{
    public static Latency Of(IReadOnlyCollection<double> milliseconds)
    {
        var sorted = milliseconds.Order().ToList();
        // Nearest-rank percentile: with 64 samples the p95 is the 61st, never an interpolated value nobody measured.
        var rank = (int)Math.Ceiling(sorted.Count * 0.95) - 1;
        return new Latency(sorted.Count, Round(sorted[sorted.Count / 2]), Round(sorted[rank]), Round(sorted[^1]));
    }

    public static double Round(double ms) => Math.Round(ms, 2);
}

/// <summary>One figure over all repeats: the median of the repeats' values and their spread (lowest, highest).</summary>
internal sealed record Figure(string Name, double MedianP95Ms, double MinP95Ms, double MaxP95Ms, double MedianP50Ms, IReadOnlyList<Latency> Repeats)
{
    public static Figure Of(string name, IReadOnlyList<Latency> repeats)
    {
        var p95 = repeats.Select(r => r.P95Ms).Order().ToList();
        var p50 = repeats.Select(r => r.MedianMs).Order().ToList();
        return new Figure(name, p95[p95.Count / 2], p95[0], p95[^1], p50[p50.Count / 2], repeats);
    }

    public string Line(Figure? floor) =>
        $"  {Name}: p95 {MedianP95Ms:0.0} ms (repeats {MinP95Ms:0.0}–{MaxP95Ms:0.0}), median {MedianP50Ms:0.0} ms"
        + (floor is null ? "" : $", {MedianP95Ms / Math.Max(floor.MedianP95Ms, 0.001):0.0}× the floor's p95");
}

/// <summary>Where the figures were measured: a number without its machine cannot be compared with the next one.</summary>
internal sealed record Machine(string Cpu, int Cores, string Os, string Runtime, bool ServerGc, string Disk)
{
    public static Machine Describe() => new(
        Cpu: File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown"
            : RuntimeInformation.ProcessArchitecture.ToString(),
        Cores: Environment.ProcessorCount,
        Os: RuntimeInformation.OSDescription,
        Runtime: RuntimeInformation.FrameworkDescription,
        ServerGc: GCSettings.IsServerGC,
        Disk: DiskOf(Path.GetTempPath()));

    /// <summary>The device and file system under the temp folder, where the SQLite file and the throwaway PostgreSQL cluster live.</summary>
    private static string DiskOf(string path)
    {
        try
        {
            using var findmnt = Process.Start(new ProcessStartInfo("findmnt", $"-n -o SOURCE,FSTYPE,SIZE -T {path}") { RedirectStandardOutput = true })!;
            var text = findmnt.StandardOutput.ReadToEnd().Trim();
            findmnt.WaitForExit();
            return text.Length > 0 ? $"{path}: {text}" : "unknown";
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return "unknown (findmnt not available)";
        }
    }
}

/// <summary>Warm-up, then repeats in which the measures take turns, so a slow moment of the machine falls on all of them alike.</summary>
internal static class Interleaved
{
    public static async Task<List<Figure>> MeasureAsync((string Name, Func<Task> Call)[] measures, int warmUpCalls, int repeats, int callsPerRepeat)
    {
        foreach (var (_, call) in measures)
            for (var i = 0; i < warmUpCalls; i++)
                await call();
        var samples = measures.Select(_ => new List<Latency>()).ToList();
        for (var repeat = 0; repeat < repeats; repeat++)
            for (var m = 0; m < measures.Length; m++)
            {
                var times = new List<double>();
                for (var i = 0; i < callsPerRepeat; i++)
                {
                    var watch = Stopwatch.StartNew();
                    await measures[m].Call();
                    times.Add(watch.Elapsed.TotalMilliseconds);
                }
                samples[m].Add(Latency.Of(times));
            }
        return measures.Select((m, i) => Figure.Of(m.Name, samples[i])).ToList();
    }
}

internal static class BenchmarkReport
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    /// <summary>Writes tests/Portal.Benchmarks/results/{name}.json, the file the README's figures come from.</summary>
    public static async Task<string> WriteAsync(string name, object report)
    {
        var folder = Path.Combine(Portal.Testing.PortalApp.RepositoryRoot(), "tests", "Portal.Benchmarks", "results");
        Directory.CreateDirectory(folder);
        var file = Path.Combine(folder, name + ".json");
        await File.WriteAllTextAsync(file, JsonSerializer.Serialize(report, Json) + Environment.NewLine);
        return file;
    }
}

/// <summary>
/// Counts the SQL statements EF Core runs in this process, through its diagnostic events: a figure that does not depend on how
/// busy the machine is, so two commits can be compared by it when their timings are within the noise.
/// </summary>
internal sealed class CommandCounter : IObserver<DiagnosticListener>, IObserver<KeyValuePair<string, object?>>, IDisposable
{
    private readonly IDisposable _all;
    private readonly List<IDisposable> _subscriptions = [];
    private long _count;

    public CommandCounter() => _all = DiagnosticListener.AllListeners.Subscribe(this);

    public long Count => Interlocked.Read(ref _count);

    public void OnNext(DiagnosticListener listener)
    {
        if (listener.Name == "Microsoft.EntityFrameworkCore")
            lock (_subscriptions)
                _subscriptions.Add(listener.Subscribe(this, (name, _, _) => name == "Microsoft.EntityFrameworkCore.Database.Command.CommandExecuted"));
    }

    public void OnNext(KeyValuePair<string, object?> value) => Interlocked.Increment(ref _count);

    public void OnCompleted()
    {
    }

    public void OnError(Exception error)
    {
    }

    public void Dispose()
    {
        _all.Dispose();
        lock (_subscriptions)
            _subscriptions.ForEach(s => s.Dispose());
    }
}
