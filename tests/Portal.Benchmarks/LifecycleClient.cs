using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Portal.Benchmarks;

/// <summary>
/// The lifecycle benchmark's client, a <see cref="ClientProcess"/>: a pipeline's token requests Staging and Production through the API, an
/// Approver's token approves; one loop per asset, all at once.
/// </summary>
internal sealed class LifecycleClient(ClientProcess process) : IDisposable
{
    public const string Mode = "lifecycle-client";

    internal sealed record CycleTimes(double Staging, double Request, double Approve);

    public static LifecycleClient Start(string root, string team, string pipelineToken, string approverToken, IReadOnlyList<string> assets) =>
        new(ClientProcess.Start(Mode, root, team, pipelineToken, approverToken, string.Join(',', assets)));

    /// <summary>Every asset's loop takes its versions <paramref name="first"/> onwards through <paramref name="cycles"/> cycles; the times of each cycle.</summary>
    public async Task<List<CycleTimes>> CyclesAsync(int first, int cycles, int expectedRules) =>
        (await process.AskAsync("cycles", first, cycles, expectedRules)).Select(w => double.Parse(w, CultureInfo.InvariantCulture)).Chunk(3)
            .Select(t => new CycleTimes(t[0], t[1], t[2])).ToList();

    /// <summary>The floor over HTTP: <c>GET /health/ready</c> by as many loops as there are assets.</summary>
    public async Task<ClientProcess.Loops> HealthAsync(int loops, int each) => ClientProcess.Loops.Of(await process.AskAsync("health", loops, each));

    public void Dispose() => process.Dispose();

    public static async Task<int> MainAsync(string[] args)
    {
        var (root, team, assets) = (new Uri(args[1]), args[2], args[5].Split(','));
        using var handler = new SocketsHttpHandler { PooledConnectionIdleTimeout = TimeSpan.FromMinutes(30) };
        using var pipeline = new HttpClient(handler, disposeHandler: false) { BaseAddress = root };
        pipeline.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", args[3]);
        using var approver = new HttpClient(handler, disposeHandler: false) { BaseAddress = root };
        approver.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", args[4]);
        return await ClientProcess.ServeAsync(words => words[0] == "health"
            ? ClientProcess.LoopsAsync(pipeline, Int(words[1]), Int(words[2]), (_, _) => pipeline.GetAsync("/health/ready"))
            : CyclesAsync(pipeline, approver, team, assets, Int(words[1]), Int(words[2]), Int(words[3])));
    }

    /// <summary>
    /// Each loop's first call is timed from the moment all were released, so its wait behind the others counts; later calls start the moment
    /// the one before ends. A call with another outcome than the cycle's stops the run.
    /// </summary>
    private static async Task<IEnumerable<string>> CyclesAsync(HttpClient pipeline, HttpClient approver, string team, string[] assets, int first, int cycles,
        int expectedRules)
    {
        await ClientProcess.OpenConnectionsAsync(pipeline, assets.Length);
        var released = Stopwatch.GetTimestamp();
        var loops = await Task.WhenAll(assets.Select(asset => Task.Run(async () =>
        {
            var times = new List<CycleTimes>();
            for (var c = 0; c < cycles; c++)
            {
                var startedAt = c == 0 ? released : Stopwatch.GetTimestamp();
                var path = $"/api/v1/teams/{team}/assets/{asset}/versions/{LifecycleSeed.VersionName(first + c)}/transitions";
                await PostAsync(pipeline, path, new { target = "Staging", justification = "Nightly candidate" }, "Applied");
                var stagingMs = Stopwatch.GetElapsedTime(startedAt).TotalMilliseconds;

                var watch = Stopwatch.StartNew();
                var request = await PostAsync(pipeline, path, new { target = "Production", justification = "Beats the current Production version" }, "Pending");
                var requestMs = watch.Elapsed.TotalMilliseconds;
                if (request.GetProperty("evaluation").GetArrayLength() is var rules && rules != expectedRules)
                    throw new InvalidOperationException($"{path}: {rules} rules judged, expected {expectedRules}.");

                watch.Restart();
                await PostAsync(approver, $"/api/v1/transitions/{request.GetProperty("id").GetInt64()}/approve", new { comment = "Reviewed the metrics" }, "Applied");
                times.Add(new CycleTimes(stagingMs, requestMs, watch.Elapsed.TotalMilliseconds));
            }
            return times;
        })));
        return loops.SelectMany(l => l).SelectMany(t => new[] { t.Staging, t.Request, t.Approve }).Select(ClientProcess.Ms);
    }

    private static async Task<JsonElement> PostAsync(HttpClient client, string path, object body, string expectedState)
    {
        using var response = await client.PostAsJsonAsync(path, body);
        var text = await response.Content.ReadAsStringAsync();
        var answer = response.IsSuccessStatusCode ? JsonDocument.Parse(text).RootElement : default;
        return answer.ValueKind == JsonValueKind.Object && answer.GetProperty("state").GetString() == expectedState
            ? answer
            : throw new InvalidOperationException($"{path}: {(int)response.StatusCode} {text}, expected {expectedState}".ReplaceLineEndings(" "));
    }

    private static int Int(string word) => int.Parse(word, CultureInfo.InvariantCulture);
}
