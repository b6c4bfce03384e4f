namespace Lattice.Engine;

/// <summary>
/// Builds and registers a <see cref="CommandSpec"/>; each command family wraps it with its own group name, so
/// the spec's shape is written once.
/// </summary>
internal static class CommandRegistration
{
    public static void Add(
        CommandTable table,
        string group,
        string name,
        int arity,
        CommandFlags flags,
        CommandHandler handler,
        string summary,
        string syntax,
        int firstKey = 1,
        int lastKey = 1,
        int keyStep = 1,
        int fieldStep = 0) =>
        table.Add(new CommandSpec
        {
            Name = name,
            Arity = arity,
            Flags = flags,
            Handler = handler,
            FirstKey = firstKey,
            LastKey = lastKey,
            KeyStep = keyStep,
            FieldStep = fieldStep,
            Group = group,
            Summary = summary,
            Syntax = syntax,
        });
}
