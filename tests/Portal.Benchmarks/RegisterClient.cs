using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;

namespace Portal.Benchmarks;

/// <summary>The register benchmark's client, a <see cref="ClientProcess"/>: posts versions of one asset, or asks <c>/health/ready</c> for the floor.</summary>
internal sealed class RegisterClient(ClientProcess process) : IDisposable
{
    public const string Mode = "client";

    public static RegisterClient Start(string root, string token) => new(ClientProcess.Start(Mode, root, token));

    /// <summary>Runs <paramref name="loops"/> loops at once, each on a connection of its own, and collects their latencies and span.</summary>
    public async Task<ClientProcess.Loops> RunAsync(string what, int run, int loops, int each) =>
        ClientProcess.Loops.Of(await process.AskAsync(what, run, loops, each));

    public void Dispose() => process.Dispose();

    /// <summary>The client process: for each line <c>what run loops each</c> on its input, runs the loops (<see cref="ClientProcess.LoopsAsync"/>).</summary>
    public static async Task<int> MainAsync(string[] args)
    {
        using var client = new HttpClient { BaseAddress = new Uri(args[1]) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", args[2]);
        return await ClientProcess.ServeAsync(words => ClientProcess.LoopsAsync(client, int.Parse(words[2], CultureInfo.InvariantCulture),
            int.Parse(words[3], CultureInfo.InvariantCulture), (loop, i) => words[0] == "health"
                ? client.GetAsync("/health/ready")
                // A version nobody else registers: major = run, minor = loop, patch = request.
                : client.PostAsJsonAsync("/api/v1/teams/marketing/assets/bench-register/versions", new { version = $"{words[1]}.{loop}.{i}" })));
    }
}
