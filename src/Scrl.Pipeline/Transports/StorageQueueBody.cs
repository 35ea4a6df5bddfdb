using System.Text;

namespace Scrl.Pipeline.Transports;

/// <summary>
/// Storage-queue bodies are base64 of UTF-8 JSON: what the Functions queue trigger expects by default, and
/// safe for any payload in the XML the queue service speaks. Clients are used with no message encoding.
/// </summary>
internal static class StorageQueueBody
{
    public static string Encode(byte[] utf8Json) => Convert.ToBase64String(utf8Json);

    /// <summary>Decodes a body; throws <see cref="FormatException"/> when it is not base64.</summary>
    public static byte[] Decode(string body) => Convert.FromBase64String(body);

    /// <summary>The body as readable text for a dead-letter record: the decoded JSON if possible, else verbatim.</summary>
    public static string ToText(string body)
    {
        Span<byte> buffer = new byte[body.Length];
        return Convert.TryFromBase64String(body, buffer, out int written) ? Encoding.UTF8.GetString(buffer[..written]) : body;
    }
}
