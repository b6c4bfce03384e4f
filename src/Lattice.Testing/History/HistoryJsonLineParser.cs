using System.Text;
using System.Text.Json;

namespace Lattice.Testing.History;

/// <summary>Parses one history line into an event; unknown properties are skipped so the format can grow.</summary>
internal static class HistoryJsonLineParser
{
    public static HistoryEvent Parse(string line)
    {
        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(line));
        Expect(reader.Read() && reader.TokenType == JsonTokenType.StartObject, "a line must be one JSON object");
        var fields = new Fields();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            string name = reader.GetString()!;
            Expect(reader.Read(), "property without a value");
            ReadField(ref reader, name, fields);
        }

        Expect(reader.TokenType == JsonTokenType.EndObject, "object not closed");
        Expect(!reader.Read(), "text after the object");
        return fields.ToEvent();
    }

    private static void ReadField(ref Utf8JsonReader reader, string name, Fields fields)
    {
        switch (name)
        {
            case HistoryJsonNames.Type: fields.Type = reader.GetString(); break;
            case HistoryJsonNames.Id: fields.Id = reader.GetInt64(); break;
            case HistoryJsonNames.Process: fields.Process = reader.GetInt32(); break;
            case HistoryJsonNames.Kind: fields.Kind = HistoryJsonNames.ParseKind(reader.GetString()); break;
            case HistoryJsonNames.Key: fields.Key = reader.GetString(); break;
            case HistoryJsonNames.Value: fields.Value = reader.GetString(); break;
            case HistoryJsonNames.Expected: fields.Expected = reader.GetString(); break;
            case HistoryJsonNames.Time: fields.Time = reader.GetInt64(); break;
            case HistoryJsonNames.InvokeTime: fields.Time = reader.GetInt64(); break;
            case HistoryJsonNames.CompleteTime: fields.CompleteTime = reader.GetInt64(); break;
            case HistoryJsonNames.Outcome: fields.Outcome = HistoryJsonNames.ParseOutcome(reader.GetString()); break;
            default: reader.Skip(); break;
        }
    }

    private static void Expect(bool condition, string problem)
    {
        if (!condition)
        {
            throw new FormatException(problem);
        }
    }

    private sealed class Fields
    {
        public string? Type { get; set; }

        public long? Id { get; set; }

        public int Process { get; set; }

        public OperationKind? Kind { get; set; }

        public string? Key { get; set; }

        public string? Value { get; set; }

        public string? Expected { get; set; }

        public long? Time { get; set; }

        public long? CompleteTime { get; set; }

        public OperationOutcome? Outcome { get; set; }

        public HistoryEvent ToEvent()
        {
            Expect(Id.HasValue && Time.HasValue, "id and time are required");
            HistoryEventType type = Type switch
            {
                HistoryJsonNames.InvokeEvent => HistoryEventType.Invoke,
                HistoryJsonNames.CompleteEvent => HistoryEventType.Complete,
                HistoryJsonNames.OperationLine => HistoryEventType.Operation,
                _ => throw new FormatException($"unknown line type \"{Type}\""),
            };
            Expect(type == HistoryEventType.Complete || (Kind.HasValue && Key is not null), "invoke and op lines need kind and key");
            Expect(type == HistoryEventType.Invoke || Outcome.HasValue, "complete and op lines need an outcome");
            Expect(type != HistoryEventType.Operation || CompleteTime.HasValue, "op lines need a completion time");
            return new HistoryEvent(
                type, Id!.Value, Process, Kind ?? OperationKind.Read, Key ?? string.Empty, Value, Expected,
                Time!.Value, CompleteTime ?? long.MaxValue, Outcome ?? OperationOutcome.Info);
        }
    }
}
