using System.Text;

namespace Portal.Web.Components.Shared;

/// <summary>
/// A download built from what a page already shows. The API takes tokens, not the sign-in cookie, so
/// a page offers small files (a CSV, a manifest, a checkpoint) as data URLs rather than API links.
/// </summary>
public static class DataUrl
{
    public static string For(string mediaType, byte[] content) => $"data:{mediaType};base64,{Convert.ToBase64String(content)}";

    public static string For(string mediaType, string text) => For(mediaType + ";charset=utf-8", Encoding.UTF8.GetBytes(text));
}
