using Lattice.Engine;
using Lattice.Resp;

namespace Lattice.Server;

/// <summary>
/// COMMAND DOCS's description of one command in Redis 7's shape: summary, since, group, then arguments (the tree
/// redis-cli turns into typing hints) and a container's subcommands, each key present only when it has something.
/// </summary>
internal static class CommandDocs
{
    public static void Write(ReplyWriter reply, CommandSpec spec)
    {
        reply.Bulk(spec.Name);
        IReadOnlyList<CommandArgument> arguments = spec.Arguments;
        WriteBody(reply, spec.Summary, spec.Group, arguments, spec.Subcommands.Count > 0 ? 1 : 0);
        if (spec.Subcommands.Count > 0)
        {
            reply.Bulk("subcommands"u8);
            reply.MapHeader(spec.Subcommands.Count);
            foreach (SubcommandDoc subcommand in spec.Subcommands)
            {
                reply.Bulk(subcommand.Name);
                WriteBody(reply, subcommand.Summary, spec.Group, subcommand.Arguments, 0);
            }
        }
    }

    /// <summary>The map's fixed fields and its arguments; <paramref name="extraFields"/> more follow it.</summary>
    private static void WriteBody(ReplyWriter reply, string summary, string group, IReadOnlyList<CommandArgument> arguments, int extraFields)
    {
        reply.MapHeader(3 + (arguments.Count > 0 ? 1 : 0) + extraFields);
        reply.Bulk("summary"u8);
        reply.Bulk(summary);
        reply.Bulk("since"u8);
        reply.Bulk("1.0.0"u8);
        reply.Bulk("group"u8);
        reply.Bulk(group);
        if (arguments.Count > 0)
        {
            reply.Bulk("arguments"u8);
            WriteArguments(reply, arguments);
        }
    }

    private static void WriteArguments(ReplyWriter reply, IReadOnlyList<CommandArgument> arguments)
    {
        reply.ArrayHeader(arguments.Count);
        foreach (CommandArgument argument in arguments)
        {
            bool hasToken = argument.Token is not null;
            bool hasFlags = argument.Flags != CommandArgumentFlags.None;
            bool hasParts = argument.Arguments.Count > 0;
            reply.MapHeader(2 + (hasToken ? 1 : 0) + (hasFlags ? 1 : 0) + (hasParts ? 1 : 0));
            reply.Bulk("name"u8);
            reply.Bulk(argument.Name);
            reply.Bulk("type"u8);
            reply.Bulk(argument.TypeName);
            if (hasToken)
            {
                reply.Bulk("token"u8);
                reply.Bulk(argument.Token!);
            }

            if (hasFlags)
            {
                WriteFlags(reply, argument.Flags);
            }

            if (hasParts)
            {
                reply.Bulk("arguments"u8);
                WriteArguments(reply, argument.Arguments);
            }
        }
    }

    /// <summary>A set of simple strings, as Redis sends it (redis-cli insists on simple strings here).</summary>
    private static void WriteFlags(ReplyWriter reply, CommandArgumentFlags flags)
    {
        reply.Bulk("flags"u8);
        reply.SetHeader(System.Numerics.BitOperations.PopCount((uint)flags));
        if ((flags & CommandArgumentFlags.Optional) != 0)
        {
            reply.SimpleString("optional"u8);
        }

        if ((flags & CommandArgumentFlags.Multiple) != 0)
        {
            reply.SimpleString("multiple"u8);
        }

        if ((flags & CommandArgumentFlags.MultipleToken) != 0)
        {
            reply.SimpleString("multiple_token"u8);
        }
    }
}
