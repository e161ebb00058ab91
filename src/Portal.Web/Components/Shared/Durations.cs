using System.Globalization;

namespace Portal.Web.Components.Shared;

/// <summary>Elapsed times as people read them: 850 ms, 12.4 s, 3 min 4 s, 2 h 5 min.</summary>
public static class Durations
{
    public static string Format(TimeSpan span) => span switch
    {
        { TotalSeconds: < 1 } => $"{Math.Max(0, (int)span.TotalMilliseconds)} ms",
        { TotalMinutes: < 1 } => string.Create(CultureInfo.InvariantCulture, $"{span.TotalSeconds:0.#} s"),
        { TotalHours: < 1 } => $"{(int)span.TotalMinutes} min {span.Seconds} s",
        _ => $"{(int)span.TotalHours} h {span.Minutes} min",
    };
}
