using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Core.Data;
using Portal.Core.Exports;
using Portal.Infrastructure.Data;
using Portal.Testing;
using SkiaSharp;

namespace Portal.Benchmarks;

/// <summary>
/// The PDF dossier of one asset with 200 versions and 5,000 audit events (defaults), made by the export
/// job itself (<see cref="RenderExportJob.RunAsync"/>: read, prove against a signed checkpoint, lay out, draw, hash, store, audit). Floor:
/// bare SkiaSharp drawing the same strings (every string of the JSON export of the same dossier), one per
/// line, on as many pages, with the same font and no layout. Peak memory is the process's resident peak
/// (VmHWM, reset before each run through /proc/self/clear_refs), portal host included.
/// </summary>
internal static class DossierBenchmark
{
    private const int Repeats = 5;
    private const double TargetSeconds = 5;
    private const double TargetPagesPerSecond = 50;
    private const double TargetPeakMb = 300;

    public static async Task<int> RunAsync(DatabaseProvider kind, int versions, int events)
    {
        await using var app = new PortalApp(kind);
        await app.InitializeAsync();
        var dbFactory = app.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>();
        var assetId = await DossierSeed.SeedAsync(dbFactory, versions, events);
        Console.WriteLine($"{kind}: seeded an asset with {versions} versions and {events} audit events");
        // A signed checkpoint covering them all, as the scheduled job makes: the dossier then carries every event's inclusion proof.
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var checkpoint = await scope.ServiceProvider.GetRequiredService<Portal.Core.Audit.AuditTrailService>().SignCheckpointAsync(CancellationToken.None)
                ?? throw new InvalidOperationException("No checkpoint was signed.");
            Console.WriteLine($"  checkpoint over {checkpoint.TreeSize} events");
        }

        // Warm-up: one PDF and the JSON export whose strings the floor draws. The strings wait in a file, not in this
        // process, while the dossier is measured: the host should hold what a portal holds, not the benchmark's inputs.
        await MakeAsync(app, assetId, ExportFormat.Pdf);
        var json = await MakeAsync(app, assetId, ExportFormat.Json);
        var stringsFile = Path.Combine(Path.GetTempPath(), $"dossier-floor-{Guid.NewGuid():N}.txt");
        var stringCount = 0;
        await using (var writer = File.CreateText(stringsFile))
        {
            foreach (var line in Strings(await ContentAsync(dbFactory, json.Id)))
            {
                await writer.WriteLineAsync(line);
                stringCount++;
            }
        }

        var runs = new List<Run>();
        for (var repeat = 0; repeat < Repeats; repeat++)
        {
            // Each dossier after a compacting collection, with the resident peak set back to the resident set.
            ProcessMemory.Collect();
            var before = ProcessMemory.Now();
            var gen0 = GC.CollectionCount(0);
            ProcessMemory.ResetPeak();
            var allocated = GC.GetTotalAllocatedBytes(precise: true);
            var privatePeak = ProcessMemory.Peak.Private();
            var watch = Stopwatch.StartNew();
            var made = await MakeAsync(app, assetId, ExportFormat.Pdf);
            var seconds = watch.Elapsed.TotalSeconds;
            privatePeak.Dispose();
            var peakMb = ProcessMemory.PeakMb();
            var allocatedMb = Math.Round((GC.GetTotalAllocatedBytes(precise: true) - allocated) / 1048576.0, 1);
            runs.Add(new Run(seconds, made.Pages, Math.Round(made.Pages / seconds, 1), before.RssMb, peakMb, privatePeak.MaxMb, Math.Round(peakMb - before.RssMb, 1), allocatedMb,
                GC.CollectionCount(0) - gen0, made.Length, before));
            Console.WriteLine($"  repeat {repeat + 1}: {seconds:0.00} s, {made.Pages} pages, {made.Pages / seconds:0} pages/s, peak {peakMb:0} MB (private {privatePeak.MaxMb:0} MB), "
                + $"growth {runs[^1].GrowthMb:0} MB, {allocatedMb:0} MB allocated, {runs[^1].Gen0Collections} gen0 collections; before: {before}");
        }
        // The floor's repeats after the dossier's, so that what the floor leaves behind never counts against the dossier.
        var floors = new List<double>();
        var floorPages = 0;
        for (var repeat = 0; repeat < Repeats; repeat++)
        {
            (var floorSeconds, floorPages) = SkiaFloor(stringsFile);
            floors.Add(floorSeconds);
            Console.WriteLine($"  floor repeat {repeat + 1}: {floorSeconds:0.00} s for {floorPages} pages");
        }

        File.Delete(stringsFile);
        var checks = await CheckAsync(dbFactory, json, stringCount, events);
        var seconds50 = Stats.Median(runs.Select(r => r.Seconds));
        var rate = Stats.Median(runs.Select(r => r.PagesPerSecond));
        var peak = Stats.Median(runs.Select(r => r.PeakMb));
        var privatePeakMedian = Stats.Median(runs.Select(r => r.PrivatePeakMb));
        var floor = Stats.Median(floors);
        var growth = Stats.Median(runs.Select(r => r.GrowthMb));
        var met = new
        {
            UnderFiveSeconds = seconds50 < TargetSeconds, FiftyPagesPerSecond = rate >= TargetPagesPerSecond,
            ProcessPeakUnder300Mb = peak < TargetPeakMb, PrivatePeakUnder300Mb = privatePeakMedian < TargetPeakMb, RenderGrowthUnder300Mb = growth < TargetPeakMb,
        };
        Console.WriteLine($"{kind}: dossier of {versions} versions and {events} events, {Repeats} repeats");
        Console.WriteLine($"  render: median {seconds50:0.00} s (repeats {runs.Min(r => r.Seconds):0.00}–{runs.Max(r => r.Seconds):0.00}), target < {TargetSeconds} s");
        Console.WriteLine($"  pages/s: median {rate:0} (repeats {runs.Min(r => r.PagesPerSecond):0}–{runs.Max(r => r.PagesPerSecond):0}), target ≥ {TargetPagesPerSecond}");
        Console.WriteLine($"  peak memory: median {peak:0} MB (repeats {runs.Min(r => r.PeakMb):0}–{runs.Max(r => r.PeakMb):0}), target < {TargetPeakMb} MB; "
            + $"resident before the render {Stats.Median(runs.Select(r => r.RssBeforeMb)):0} MB, growth during it {growth:0} MB "
            + $"(repeats {runs.Min(r => r.GrowthMb):0}–{runs.Max(r => r.GrowthMb):0}), allocated by it {Stats.Median(runs.Select(r => r.AllocatedMb)):0} MB");
        Console.WriteLine($"  private peak (anonymous resident, mapped files left out): median {privatePeakMedian:0} MB "
            + $"(repeats {runs.Min(r => r.PrivatePeakMb):0}–{runs.Max(r => r.PrivatePeakMb):0}), target < {TargetPeakMb} MB");
        Console.WriteLine($"  floor (bare Skia, same strings, no layout): median {floor:0.00} s (repeats {floors.Min():0.00}–{floors.Max():0.00}); dossier/floor {seconds50 / floor:0.0}×");
        Console.WriteLine($"  checks: {JsonSerializer.Serialize(checks)}; targets {JsonSerializer.Serialize(met)}");
        var file = await BenchmarkReport.WriteAsync($"dossier-{kind.ToString().ToLowerInvariant()}", new
        {
            Benchmark = "PDF asset dossier",
            Provider = kind.ToString(),
            Machine = Machine.Describe(),
            Parameters = new { Versions = versions, AuditEvents = events, Repeats },
            Floor = new { Name = "bare SkiaSharp drawing the JSON export's strings, one per line, no layout", MedianSeconds = Math.Round(floor, 3), Pages = floorPages, Runs = floors },
            Figures = new { MedianSeconds = Math.Round(seconds50, 3), MedianPagesPerSecond = rate, MedianPeakMb = peak, MedianPrivatePeakMb = privatePeakMedian, MedianGrowthMb = growth, Runs = runs },
            Ratio = new { DossierToFloor = Math.Round(seconds50 / floor, 1) },
            Targets = new { Seconds = TargetSeconds, PagesPerSecond = TargetPagesPerSecond, PeakMb = TargetPeakMb, Met = met },
            Checks = checks,
        });
        Console.WriteLine($"  written to {file}");
        return 0;
    }

    /// <summary>One dossier: <see cref="GrowthMb"/> is the resident peak above the resident set just before it (the render's own share).</summary>
    private sealed record Run(double Seconds, int Pages, double PagesPerSecond, double RssBeforeMb, double PeakMb, double PrivatePeakMb, double GrowthMb, double AllocatedMb,
        int Gen0Collections, long Bytes, ProcessMemory Before);

    private sealed record Made(Guid Id, int Pages, long Length, string Sha256);

    /// <summary>One export as the job makes it, for an auditor (the row Start would write, then the job run in this thread).</summary>
    private static async Task<Made> MakeAsync(PortalApp app, Guid assetId, ExportFormat format)
    {
        var dbFactory = app.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>();
        var export = new AuditExport
        {
            Kind = ExportKind.Dossier, Format = format, TeamId = await TeamIdAsync(dbFactory), TeamSlug = "marketing", AssetId = assetId, AssetName = "bench-dossier",
            RequestedByKey = "bench", RequestedBy = "Bench Auditor", RequestedAt = DateTimeOffset.UtcNow,
        };
        await using (var db = await dbFactory.CreateDbContextAsync())
        {
            db.AuditExports.Add(export);
            await db.SaveChangesAsync();
        }
        await using var scope = app.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<RenderExportJob>().RunAsync(export.Id, CancellationToken.None);
        await using var read = await dbFactory.CreateDbContextAsync();
        // Not the file itself: holding it would count against the next repeat's memory.
        var done = await read.AuditExports.AsNoTracking().Where(x => x.Id == export.Id).Select(x => new { x.State, x.Failure, x.Pages, x.Length, x.Sha256 }).SingleAsync();
        if (done.State != ExportState.Completed)
            throw new InvalidOperationException($"The export ended {done.State}: {done.Failure}");
        return new Made(export.Id, done.Pages, done.Length, done.Sha256!);
    }

    private static async Task<byte[]> ContentAsync(IDbContextFactory<PortalDbContext> dbFactory, Guid id)
    {
        await using var db = await dbFactory.CreateDbContextAsync();
        return await db.AuditExports.AsNoTracking().Where(x => x.Id == id).Select(x => x.Content!).SingleAsync();
    }

    private static async Task<Guid> TeamIdAsync(IDbContextFactory<PortalDbContext> dbFactory)
    {
        await using var db = await dbFactory.CreateDbContextAsync();
        return await db.Teams.Where(t => t.Slug == "marketing").Select(t => t.Id).SingleAsync();
    }

    /// <summary>Every string value of the JSON export: the text the dossier holds.</summary>
    private static List<string> Strings(byte[] json)
    {
        var result = new List<string>();
        void Walk(JsonElement e)
        {
            switch (e.ValueKind)
            {
                case JsonValueKind.Object: foreach (var p in e.EnumerateObject()) Walk(p.Value); break;
                case JsonValueKind.Array: foreach (var i in e.EnumerateArray()) Walk(i); break;
                case JsonValueKind.String: result.Add(e.GetString()!.Replace('\n', ' ')); break;
                default: result.Add(e.GetRawText()); break;
            }
        }
        using var doc = JsonDocument.Parse(json);
        Walk(doc.RootElement);
        return result;
    }

    /// <summary>The floor: the same strings drawn one per line, 60 lines a page, with the same font, straight to Skia's PDF backend (reading the file is not timed).</summary>
    private static (double Seconds, int Pages) SkiaFloor(string stringsFile)
    {
        var strings = File.ReadAllLines(stringsFile);
        var watch = Stopwatch.StartNew();
        var fontPath = Path.Combine(PortalApp.RepositoryRoot(), "src", "Portal.Infrastructure", "Pdf", "Fonts", "DejaVuSans.ttf");
        using var face = SKTypeface.FromFile(fontPath);
        using var font = new SKFont(face, 7.5f);
        using var paint = new SKPaint { IsAntialias = true, Color = SKColors.Black };
        using var output = new MemoryStream();
        using var pdf = SKDocument.CreatePdf(output);
        var pages = 0;
        for (var i = 0; i < strings.Length; i += 60)
        {
            var canvas = pdf.BeginPage(595.28f, 841.89f);
            for (var line = 0; line < 60 && i + line < strings.Length; line++)
                canvas.DrawText(strings[i + line].Length > 120 ? strings[i + line][..120] : strings[i + line], 48, 72 + line * 12, SKTextAlign.Left, font, paint);
            pdf.EndPage();
            pages++;
        }
        pdf.Close();
        return (watch.Elapsed.TotalSeconds, pages);
    }

    /// <summary>After the clock stops: the last PDF's hash is the one the export.issued event holds, and the JSON holds every version and event.</summary>
    private static async Task<object> CheckAsync(IDbContextFactory<PortalDbContext> dbFactory, Made json, int strings, int events)
    {
        await using var db = await dbFactory.CreateDbContextAsync();
        var last = await db.AuditExports.AsNoTracking().Where(x => x.Format == ExportFormat.Pdf).OrderByDescending(x => x.CompletedAt).FirstAsync();
        var sha = Convert.ToHexStringLower(SHA256.HashData(last.Content!));
        var subject = last.Id.ToString();
        var issued = await db.AuditEvents.AsNoTracking().Where(e => e.Action == "export.issued" && e.SubjectId == subject).Select(e => e.After).SingleAsync();
        if (sha != last.Sha256 || !issued!.Contains(sha, StringComparison.Ordinal) || !last.Content.AsSpan(0, 5).SequenceEqual("%PDF-"u8))
            throw new InvalidOperationException("The PDF's SHA-256 does not match its export.issued event.");
        using var doc = JsonDocument.Parse(await ContentAsync(dbFactory, json.Id));
        var versionCount = doc.RootElement.GetProperty("versions").GetArrayLength();
        var eventCount = doc.RootElement.GetProperty("auditEvents").GetArrayLength();
        if (eventCount < events)
            throw new InvalidOperationException($"The dossier holds {eventCount} audit events, fewer than the {events} seeded.");
        return new { PdfSha256MatchesAuditEvent = true, LastPdfPages = last.Pages, LastPdfBytes = last.Length, Versions = versionCount, AuditEvents = eventCount, Strings = strings };
    }
}
