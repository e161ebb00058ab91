using System.Diagnostics;
using System.Globalization;

namespace Portal.Benchmarks;

/// <summary>
/// A benchmark's load generator in a process of its own: this program again, started in a client mode, one process for the whole
/// benchmark, told each run's work by one line on its standard input and answering with one line. One process, kept: a process
/// started per run spent its first second compiling its own code on the same 2 cores as the server (perf showed about 40 % of the
/// client's samples in the JIT during timed runs), which a load generator does not do to the server it measures.
/// </summary>
internal sealed class ClientProcess : IDisposable
{
    private readonly Process process;

    private ClientProcess(Process process) => this.process = process;

    public static ClientProcess Start(string mode, params string[] args) =>
        new(Process.Start(new ProcessStartInfo("dotnet", [typeof(ClientProcess).Assembly.Location, mode, .. args])
        { UseShellExecute = false, RedirectStandardInput = true, RedirectStandardOutput = true })!);

    /// <summary>
    /// Sends one line of work; returns the answer's words after <c>ok</c>. A client that failed stops the benchmark with its reason.
    /// The answer is awaited, not waited for: the portal runs in this process, and a blocked pool thread would be one fewer for it.
    /// </summary>
    public async Task<string[]> AskAsync(params object[] words)
    {
        await process.StandardInput.WriteLineAsync(string.Join(' ', words));
        await process.StandardInput.FlushAsync();
        var answer = await process.StandardOutput.ReadLineAsync() ?? throw new InvalidOperationException("The client process ended.");
        return answer.StartsWith("ok", StringComparison.Ordinal)
            ? answer.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1..]
            : throw new InvalidOperationException($"The client failed: {answer}");
    }

    public void Dispose()
    {
        process.StandardInput.Close();
        process.WaitForExit();
        process.Dispose();
    }

    /// <summary>The client's side: answers every line of its input with <c>ok</c> and <paramref name="work"/>'s words, or <c>failed</c> and why.</summary>
    public static async Task<int> ServeAsync(Func<string[], Task<IEnumerable<string>>> work)
    {
        while (Console.ReadLine() is { } line)
        {
            string answer;
            try
            {
                answer = string.Join(' ', ["ok", .. await work(line.Split(' '))]);
            }
            // Whatever went wrong (an unexpected answer, a timeout, a reply that does not parse) is told to the benchmark, which stops with it.
            catch (Exception e)
            {
                answer = "failed " + e.Message.ReplaceLineEndings(" ");
            }
            Console.WriteLine(answer);
        }
        return 0;
    }

    /// <summary>The figures of one <see cref="LoopsAsync"/> run: requests a second over its span, and every latency in ms, sorted.</summary>
    internal sealed record Loops(double PerSecond, IReadOnlyList<double> LatenciesMs)
    {
        public double P95Ms => LatenciesMs[(int)Math.Ceiling(LatenciesMs.Count * 0.95) - 1];

        public double MedianMs => Stats.Median(LatenciesMs);

        public static Loops Of(string[] words)
        {
            var seconds = TimeSpan.FromTicks(long.Parse(words[1], CultureInfo.InvariantCulture) - long.Parse(words[0], CultureInfo.InvariantCulture)).TotalSeconds;
            var latencies = words.Skip(2).Select(l => double.Parse(l, CultureInfo.InvariantCulture)).Order().ToList();
            return new Loops(latencies.Count / seconds, latencies);
        }
    }

    /// <summary>
    /// The client's side of a run of <paramref name="loops"/> loops at once, each sending <paramref name="each"/> requests one after another: a
    /// connection per loop is opened before timing; answers the span (start and end ticks) and each latency in ms, read by <see cref="Loops.Of"/>.
    /// </summary>
    public static async Task<IEnumerable<string>> LoopsAsync(HttpClient client, int loops, int each, Func<int, int, Task<HttpResponseMessage>> send)
    {
        await OpenConnectionsAsync(client, loops);
        var failures = new List<string>();
        var began = DateTime.UtcNow.Ticks;
        var results = await Task.WhenAll(Enumerable.Range(0, loops).Select(async loop =>
        {
            var latencies = new List<double>(each);
            for (var i = 0; i < each; i++)
            {
                var watch = Stopwatch.StartNew();
                using var response = await send(loop, i);
                latencies.Add(watch.Elapsed.TotalMilliseconds);
                if (!response.IsSuccessStatusCode)
                {
                    var failure = $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}".ReplaceLineEndings(" ");
                    lock (failures)
                        failures.Add(failure);
                }
            }
            return latencies;
        }));
        var ended = DateTime.UtcNow.Ticks;
        return failures.Count > 0
            ? throw new InvalidOperationException($"{failures.Count} requests failed, the first: {failures[0]}")
            : [began.ToString(CultureInfo.InvariantCulture), ended.ToString(CultureInfo.InvariantCulture),
                .. results.SelectMany(r => r).Select(Ms)];
    }

    /// <summary>A connection per loop before the clock starts, as a client that has been running has.</summary>
    public static Task OpenConnectionsAsync(HttpClient client, int loops) => Task.WhenAll(Enumerable.Range(0, loops).Select(async _ =>
    {
        using var response = await client.GetAsync("/health/ready");
        response.EnsureSuccessStatusCode();
    }));

    public static string Ms(double milliseconds) => milliseconds.ToString("0.###", CultureInfo.InvariantCulture);
}
