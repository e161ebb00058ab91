using Microsoft.EntityFrameworkCore;
using Portal.Core.Data;
using Portal.Core.GoldenChecks;
using Portal.Core.Jobs;
using Portal.Infrastructure.Data;
using Portal.Testing;

namespace Portal.IntegrationTests.GoldenChecks;

/// <summary>The embedded default's demo golden checks really run: the ONNX churn model and the ML.NET iris models.</summary>
public abstract class DemoGoldenCheckTests(PortalApp app)
{
    /// <summary>The embedded default's setting, which the other test hosts turn off.</summary>
    public static readonly IReadOnlyDictionary<string, string> DemoRuns = new Dictionary<string, string> { ["Portal:SeedDemoGoldenRuns"] = "true" };

    [Fact]
    public async Task Demo_churn_and_iris_models_have_golden_check_results_from_real_runs()
    {
        var viewer = await app.CallerAsync(await app.SignInAsync($"demo-gc-{Guid.NewGuid():N}"[..16], "Demo Viewer", "marketing-viewers"));
        await WaitForDemoRunsAsync();

        var churn = await app.InScopeAsync<GoldenCheckService, Portal.Core.Common.Result<IReadOnlyList<GoldenResultView>>>(s => s.HistoryAsync(viewer, "marketing", "churn-classifier"));
        var iris = await app.InScopeAsync<GoldenCheckService, Portal.Core.Common.Result<IReadOnlyList<GoldenResultView>>>(s => s.HistoryAsync(viewer, "marketing", "iris-classifier"));

        var churn110 = churn.Value.Single(r => r.Version == "1.1.0");
        Assert.True(churn110.Passed, string.Join("; ", churn110.Findings.Where(f => !f.Passed).Select(f => f.Explanation)));
        Assert.Equal("onnx", churn110.Runtime);
        Assert.Equal(400, churn110.RowCount);
        Assert.InRange(Overall(churn110, "accuracy"), 0.75, 1);
        Assert.Contains(churn110.Findings, f => f.Metric == "demographic-parity-difference" && f.Slice == "region");
        var iris210 = iris.Value.Single(r => r.Version == "2.1.0");
        Assert.True(iris210.Passed);
        Assert.Equal("mlnet", iris210.Runtime);
        Assert.InRange(Overall(iris210, "accuracy"), 0.95, 1);
        // The undertrained first iris model is the demo's failing run, with the bound it missed.
        var iris100 = iris.Value.Single(r => r.Version == "1.0.0");
        Assert.False(iris100.Passed);
        Assert.Contains(iris100.Findings, f => f.Metric == "accuracy" && f.Slice == "" && !f.Passed && f.Bound == 0.9);
    }

    private static double Overall(GoldenResultView result, string metric) => result.Findings.Single(f => f.Metric == metric && f.Slice == "").Value;

    private async Task WaitForDemoRunsAsync()
    {
        var factory = app.Service<IDbContextFactory<PortalDbContext>>();
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (true)
        {
            await using var db = await factory.CreateDbContextAsync();
            var demo = await db.JobRuns.AsNoTracking().Where(r => r.Kind == JobKinds.GoldenCheck && r.RequestedBy == "demo-seed").ToListAsync();
            if (demo.Count == 5 && demo.All(r => r.IsFinished))
            {
                Assert.All(demo, r => Assert.True(r.State == JobRunState.Succeeded, $"{r.SubjectLabel}: {r.State} after {r.Attempt} attempt(s): {r.Reason}"));
                return;
            }
            Assert.True(DateTime.UtcNow < deadline, $"Demo runs unfinished after 90 s: {string.Join(", ", demo.Select(r => $"{r.SubjectLabel} {r.State} {r.Reason}"))}");
            await Task.Delay(250);
        }
    }
}

public sealed class DemoGoldenRunsSqlitePortal() : PortalApp(DatabaseProvider.Sqlite, settings: DemoGoldenCheckTests.DemoRuns);

public sealed class DemoGoldenRunsPostgresPortal() : PortalApp(DatabaseProvider.PostgreSql, settings: DemoGoldenCheckTests.DemoRuns);

public sealed class DemoGoldenCheckTests_Sqlite(DemoGoldenRunsSqlitePortal app) : DemoGoldenCheckTests(app), IClassFixture<DemoGoldenRunsSqlitePortal>;

public sealed class DemoGoldenCheckTests_PostgreSql(DemoGoldenRunsPostgresPortal app) : DemoGoldenCheckTests(app), IClassFixture<DemoGoldenRunsPostgresPortal>;
