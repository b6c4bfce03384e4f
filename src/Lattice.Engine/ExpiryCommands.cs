using Lattice.Resp;

namespace Lattice.Engine;

/// <summary>
/// The delete the node logs when it finds an expired key (lazily on access or by active sampling), so a
/// replay removes exactly the keys the live node removed.
/// </summary>
public static class ExpiryCommands
{
    /// <summary>Internal command name; clients cannot call it.</summary>
    public const string ExpireDeleteName = "lattice.expire";

    public static void Register(CommandTable table)
    {
        table.Add(new CommandSpec
        {
            Name = ExpireDeleteName,
            Arity = 2,
            Flags = CommandFlags.Write | CommandFlags.Internal,
            FirstKey = 1,
            LastKey = 1,
            Handler = ExpireDelete,
            Summary = "Deletes a key whose TTL has passed at the entry's time.",
        });
    }

    private static void ExpireDelete(CommandContext context, CommandArgs args)
    {
        // ReadForWrite deletes the key when its time has passed at the entry's time; a key that was
        // given a new TTL or value since stays.
        int deleted = context.Database.ReadForWrite(args[1], context.TimeMs) is null ? 1 : 0;
        context.Reply.Integer(deleted);
    }
}
