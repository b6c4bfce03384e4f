using System.Text;
using Lattice.Engine;
using Lattice.Resp;

namespace Lattice.Server;

/// <summary>
/// A container command's subcommands (CLIENT, CONFIG, MEMORY): its HELP reply, and Redis 7's errors for a subcommand
/// it does not have or one given the wrong number of arguments.
/// </summary>
internal sealed class Subcommands
{
    private const int QuotedNameMax = 128;
    private readonly string _container;
    private readonly (string Usage, string Help)[] _entries;

    /// <param name="container">The command, in capitals as HELP shows it.</param>
    /// <param name="entries">Each subcommand's usage (its name first) and what it does.</param>
    public Subcommands(string container, params (string Usage, string Help)[] entries)
    {
        _container = container;
        _entries = entries;
    }

    /// <summary>Answers <c>CONTAINER HELP</c>; false (nothing written) for any other request.</summary>
    public bool TryHelp(ReplyWriter reply, CommandArgs args)
    {
        if (args.Count != 2 || !args.Is(1, "HELP"u8))
        {
            return false;
        }

        reply.ArrayHeader((2 * _entries.Length) + 3);
        reply.SimpleString($"{_container} <subcommand> [<arg> [value] [opt] ...]. Subcommands are:");
        foreach ((string usage, string help) in _entries)
        {
            reply.SimpleString(usage);
            reply.SimpleString("    " + help);
        }

        reply.SimpleString("HELP");
        reply.SimpleString("    Prints this help.");
        return true;
    }

    /// <summary>The error for a request no subcommand handler took: a known name had the wrong number of arguments.</summary>
    public void ReplyError(ReplyWriter reply, CommandArgs args)
    {
        string name = Encoding.UTF8.GetString(args[1]);
        foreach ((string usage, _) in _entries)
        {
            int end = usage.IndexOf(' ', StringComparison.Ordinal);
            if (string.Equals(end < 0 ? usage : usage[..end], name, StringComparison.OrdinalIgnoreCase))
            {
                reply.Error(Errors.WrongArity($"{_container.ToLowerInvariant()}|{name.ToLowerInvariant()}"));
                return;
            }
        }

        string quoted = name.Length > QuotedNameMax ? name[..QuotedNameMax] : name;
        reply.Error($"ERR unknown subcommand '{quoted}'. Try {_container} HELP.");
    }
}
