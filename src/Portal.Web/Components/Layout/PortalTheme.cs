using MudBlazor;

namespace Portal.Web.Components.Layout;

public static class PortalTheme
{
    public static MudTheme Theme { get; } = new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#3f51b5",
            Secondary = "#5c6b7a",
            AppbarBackground = "#26324b",
            Background = "#f5f6f8",
            DrawerBackground = "#ffffff",
            DrawerText = "#2d3748",
            TextPrimary = "#1f2937",
        },
        LayoutProperties = new LayoutProperties { DrawerWidthLeft = "248px" },
        Typography = new Typography
        {
            Default = new DefaultTypography { FontFamily = ["Roboto", "Segoe UI", "Helvetica", "Arial", "sans-serif"] },
        },
    };
}
