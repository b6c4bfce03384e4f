using System.Buffers;
using System.Text;
using System.Text.Json;

namespace Lattice.Testing.History;

/// <summary>
/// Encodes the whole result of a set or list read into <see cref="HistoryOperation.Value"/> as a JSON
/// array of strings, so any element text round-trips. Written by hand over Utf8JsonWriter/Reader so
/// trimming never removes a serializer path.
/// </summary>
public static class HistoryValues
{
    /// <summary>Upper bound on elements decoded from one read, so a corrupt file cannot exhaust memory.</summary>
    public const int MaxElementsPerRead = 1_000_000;

    public static string EncodeElements(IEnumerable<string> elements)
    {
        ArgumentNullException.ThrowIfNull(elements);
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            foreach (string element in elements)
            {
                writer.WriteStringValue(element);
            }

            writer.WriteEndArray();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>Decodes a read result; null (absent key) decodes as empty.</summary>
    public static IReadOnlyList<string> DecodeElements(string? encoded)
    {
        if (encoded is null)
        {
            return [];
        }

        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(encoded));
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartArray)
        {
            throw new FormatException("encoded read result must be a JSON array of strings");
        }

        var elements = new List<string>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.String)
            {
                throw new FormatException("encoded read result must hold only strings");
            }

            if (elements.Count == MaxElementsPerRead)
            {
                throw new FormatException($"encoded read result holds more than {MaxElementsPerRead} elements");
            }

            elements.Add(reader.GetString()!);
        }

        if (reader.TokenType != JsonTokenType.EndArray)
        {
            throw new FormatException("encoded read result is not a closed JSON array");
        }

        return elements;
    }
}
