using System.Globalization;

namespace Portal.Core.Exports;

/// <summary>Lays a period report out as a printable document, one section per kind of event.</summary>
internal static class PeriodReportComposer
{
    public static ReportDocument Compose(PeriodReportContent r)
    {
        var title = $"Period report: {r.Team}, {ExportText.Time(r.From)[..10]} to {ExportText.Time(r.To)[..10]}";
        var blocks = new List<ReportBlock>
        {
            new HeadingBlock(title),
            new KeyValueBlock(ExportText.HeaderPairs(r.Export)),
            new HeadingBlock("Summary"),
            new KeyValueBlock(r.Sections.Select(s => new KeyValuePair<string, string>(s.Title, s.Entries.Count.ToString(CultureInfo.InvariantCulture))).ToList()),
        };
        foreach (var section in r.Sections)
        {
            blocks.Add(new HeadingBlock(section.Title));
            blocks.Add(ExportText.TableOrNone(section.Entries.Count,
                [new("Seq", 0.5f, true), new("When", 1.8f), new("Team", 0.9f), new("Actor", 1.1f), new("Action", 1.5f), new("Subject", 1.5f), new("Details", 2.8f)],
                section.Entries.Select(e => (IReadOnlyList<string>)[e.Sequence.ToString(CultureInfo.InvariantCulture), ExportText.Cell(e.At), e.Team, e.Actor, e.Action,
                    e.Subject, e.Details])));
        }
        return new ReportDocument(title, $"Issued to {r.Export.IssuedTo}, {ExportText.Time(r.Export.GeneratedAt)}", $"Portal export {r.Export.ExportId}", blocks);
    }
}
