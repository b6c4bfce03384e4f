using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Lattice.Testing.History;

/// <summary>
/// The history file format: JSON lines, one event per line. A recorder writes an "invoke" line when
/// a client starts an operation and a "complete" line when it ends, so a run that crashes mid-way
/// still leaves a readable file: operations with no completion read back as Info. A finished
/// history can also be written as "op" lines, one whole operation each. Written and parsed by hand
/// with Utf8JsonWriter and Utf8JsonReader, so nothing depends on reflection.
/// </summary>
public static class HistoryJson
{
    /// <summary>Longest line accepted when reading; longer means a corrupt or hostile file.</summary>
    public const int MaxLineChars = 4 * 1024 * 1024;

    /// <summary>Most operations read from one file.</summary>
    public const int MaxOperations = 10_000_000;

    public static string FormatInvoke(long id, int process, OperationKind kind, string key, string? value, string? expected, long time)
    {
        ArgumentNullException.ThrowIfNull(key);
        return Format(writer =>
        {
            writer.WriteString(HistoryJsonNames.Type, HistoryJsonNames.InvokeEvent);
            writer.WriteNumber(HistoryJsonNames.Id, id);
            writer.WriteNumber(HistoryJsonNames.Process, process);
            writer.WriteString(HistoryJsonNames.Kind, HistoryJsonNames.KindName(kind));
            writer.WriteString(HistoryJsonNames.Key, key);
            writer.WriteString(HistoryJsonNames.Value, value);
            writer.WriteString(HistoryJsonNames.Expected, expected);
            writer.WriteNumber(HistoryJsonNames.Time, time);
        });
    }

    /// <summary>A completion line; <paramref name="value"/> matters only for reads (the value read).</summary>
    public static string FormatCompletion(long id, OperationOutcome outcome, string? value, long time) =>
        Format(writer =>
        {
            writer.WriteString(HistoryJsonNames.Type, HistoryJsonNames.CompleteEvent);
            writer.WriteNumber(HistoryJsonNames.Id, id);
            writer.WriteString(HistoryJsonNames.Outcome, HistoryJsonNames.OutcomeName(outcome));
            writer.WriteString(HistoryJsonNames.Value, value);
            writer.WriteNumber(HistoryJsonNames.Time, time);
        });

    public static string FormatOperation(HistoryOperation operation)
    {
        ArgumentNullException.ThrowIfNull(operation);
        return Format(writer =>
        {
            writer.WriteString(HistoryJsonNames.Type, HistoryJsonNames.OperationLine);
            writer.WriteNumber(HistoryJsonNames.Id, operation.Id);
            writer.WriteNumber(HistoryJsonNames.Process, operation.Process);
            writer.WriteString(HistoryJsonNames.Kind, HistoryJsonNames.KindName(operation.Kind));
            writer.WriteString(HistoryJsonNames.Key, operation.Key);
            writer.WriteString(HistoryJsonNames.Value, operation.Value);
            writer.WriteString(HistoryJsonNames.Expected, operation.Expected);
            writer.WriteNumber(HistoryJsonNames.InvokeTime, operation.InvokeTime);
            writer.WriteNumber(HistoryJsonNames.CompleteTime, operation.CompleteTime);
            writer.WriteString(HistoryJsonNames.Outcome, HistoryJsonNames.OutcomeName(operation.Outcome));
        });
    }

    /// <summary>Writes a finished history as "op" lines.</summary>
    public static void Write(TextWriter writer, IEnumerable<HistoryOperation> history)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(history);
        foreach (HistoryOperation operation in history)
        {
            writer.Write(FormatOperation(operation));
            writer.Write('\n');
        }
    }

    /// <summary>
    /// Reads any mix of invoke, complete and op lines. A malformed last line is taken as a write torn
    /// by a crash and skipped; a malformed line anywhere else is an error naming the line.
    /// </summary>
    public static List<HistoryOperation> Read(TextReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var assembler = new HistoryAssembler(MaxOperations);
        string? line = reader.ReadLine();
        int lineNumber = 0;
        while (line is not null)
        {
            lineNumber++;
            string? nextLine = reader.ReadLine();
            if (line.Length > MaxLineChars)
            {
                throw new FormatException($"history line {lineNumber} is longer than {MaxLineChars} characters");
            }

            if (line.Length > 0)
            {
                HistoryEvent? parsed = TryParseLine(line, lineNumber, isLastLine: nextLine is null);
                if (parsed is not null)
                {
                    assembler.Add(parsed, lineNumber);
                }
            }

            line = nextLine;
        }

        return assembler.Finish();
    }

    public static List<HistoryOperation> Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        using var reader = new StringReader(text);
        return Read(reader);
    }

    private static HistoryEvent? TryParseLine(string line, int lineNumber, bool isLastLine)
    {
        try
        {
            return HistoryJsonLineParser.Parse(line);
        }
        catch (Exception error) when (error is JsonException or FormatException or InvalidOperationException)
        {
            if (isLastLine)
            {
                return null;
            }

            throw new FormatException(
                string.Create(CultureInfo.InvariantCulture, $"history line {lineNumber} is malformed: {error.Message}"), error);
        }
    }

    private static string Format(Action<Utf8JsonWriter> writeProperties)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writeProperties(writer);
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
