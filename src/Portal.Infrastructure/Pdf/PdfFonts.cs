using SkiaSharp;

namespace Portal.Infrastructure.Pdf;

internal enum FontRole
{
    Regular,
    Bold,
    Mono,
}

/// <summary>
/// The DejaVu faces shipped inside this assembly (licence beside them in Fonts/), so a PDF looks the
/// same on every machine and its text is embedded, selectable and searchable whatever fonts the host has.
/// </summary>
internal sealed class PdfFonts : IDisposable
{
    private static readonly Lazy<SKTypeface> RegularFace = new(() => Load("DejaVuSans.ttf"));
    private static readonly Lazy<SKTypeface> BoldFace = new(() => Load("DejaVuSans-Bold.ttf"));
    private static readonly Lazy<SKTypeface> MonoFace = new(() => Load("DejaVuSansMono.ttf"));

    // SKFont is mutable native state: one set per rendering, never shared between threads.
    private readonly Dictionary<(FontRole, float), SKFont> _fonts = [];

    public SKFont Get(FontRole role, float size)
    {
        if (!_fonts.TryGetValue((role, size), out var font))
        {
            var face = role switch { FontRole.Bold => BoldFace.Value, FontRole.Mono => MonoFace.Value, _ => RegularFace.Value };
            font = new SKFont(face, size) { Subpixel = true };
            _fonts[(role, size)] = font;
        }
        return font;
    }

    private static SKTypeface Load(string file)
    {
        var name = $"Portal.Infrastructure.Pdf.Fonts.{file}";
        using var stream = typeof(PdfFonts).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"The font {name} is not embedded in the assembly.");
        return SKTypeface.FromStream(stream) ?? throw new InvalidOperationException($"The font {name} could not be read.");
    }

    public void Dispose()
    {
        foreach (var font in _fonts.Values)
            font.Dispose();
    }
}
