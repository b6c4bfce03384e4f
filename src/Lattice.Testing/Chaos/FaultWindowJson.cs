using System.Buffers;
using System.Text;
using System.Text.Json;

namespace Lattice.Testing.Chaos;

/// <summary>
/// A run's fault windows as JSON lines (faults.jsonl), so a saved run can be checked and plotted again later
/// (`lattice chaos --check DIR`). Written and read by hand over Utf8JsonWriter/JsonDocument, without a serializer.
/// </summary>
public static class FaultWindowJson
{
    public static string Format(FaultWindow window)
    {
        ArgumentNullException.ThrowIfNull(window);
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("kind", window.Kind);
            writer.WriteString("description", window.Description);
            writer.WriteNumber("start_ms", window.StartMs);
            writer.WriteNumber("end_ms", window.EndMs);
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>Parses faults.jsonl; a malformed line is an error naming its number.</summary>
    public static List<FaultWindow> Read(TextReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var windows = new List<FaultWindow>();
        int number = 0;
        while (reader.ReadLine() is { } line)
        {
            number++;
            if (line.Length == 0)
            {
                continue;
            }

            try
            {
                using var document = JsonDocument.Parse(line);
                JsonElement root = document.RootElement;
                windows.Add(new FaultWindow(
                    root.GetProperty("kind").GetString() ?? throw new FormatException("kind is null"),
                    root.GetProperty("description").GetString() ?? string.Empty,
                    root.GetProperty("start_ms").GetDouble(),
                    root.GetProperty("end_ms").GetDouble()));
            }
            catch (Exception exception) when (exception is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
            {
                throw new FormatException($"faults.jsonl line {number}: {exception.Message}", exception);
            }
        }

        return windows;
    }
}
