using System.Diagnostics;
using Portal.Core.Exports;
using Portal.Infrastructure.Data;
using Portal.Testing;

namespace Portal.IntegrationTests.Exports;

/// <summary>
/// Several portals on PostgreSQL in one process, as in a test run: Hangfire.PostgreSql wakes a waiting worker
/// through one process-wide event per queue name, so hosts sharing a queue name woke each other's workers and
/// an export waited a whole poll interval (15 s). Each host has a queue of its own (Jobs:Queue).
/// </summary>
public sealed class ExportPickupTests
{
    /// <summary>Half the storage's poll interval: a job found only by the next poll waits longer than this.</summary>
    private static readonly TimeSpan PromptPickup = TimeSpan.FromSeconds(7.5);

    internal static async Task<TimeSpan> PickupAsync(PortalApp app, Portal.Core.Teams.CallerAccess caller)
    {
        var started = await ExportScenario.StartAsync(app, caller, new ExportRequest("report", "json", "marketing", null, null, null));
        Assert.True(started.IsSuccess, started.Error?.Message);
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(60))
        {
            var view = await app.InScopeAsync<ExportService, Portal.Core.Common.Result<ExportView>>(s => s.GetAsync(caller, started.Value.Id.ToString()));
            if (view.Value.State != ExportState.Queued)
                return clock.Elapsed;
            await Task.Delay(50);
        }
        return clock.Elapsed;
    }

    [Fact]
    public async Task Exports_on_one_of_several_PostgreSQL_hosts_in_a_process_are_picked_up_at_once()
    {
        await using var other = new PostgresPortal();
        await using var app = new PostgresPortal();
        await other.InitializeAsync();
        await app.InitializeAsync();
        var auditor = await ExportScenario.PersonAsync(app, "portal-auditors");

        var waits = new List<TimeSpan>();
        // Four in a row: with a shared queue name each had about even odds of waking the other host's worker instead.
        for (var i = 0; i < 4; i++)
            waits.Add(await PickupAsync(app, auditor));

        Assert.All(waits, w => Assert.True(w < PromptPickup, $"Picked up after {w.TotalSeconds:0.0} s: {string.Join(", ", waits.Select(x => x.TotalSeconds.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture)))} s"));
    }
}
