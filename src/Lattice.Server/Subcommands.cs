using System.Text;
using Lattice.Engine;
using Lattice.Resp;

namespace Lattice.Server;

/// <summary>
/// A container command's subcommands (CLIENT, CONFIG, COMMAND, MEMORY), from the list COMMAND DOCS shows: its HELP
/// reply, and Redis 7's errors for a subcommand it does not have or one given the wrong number of arguments.
/// </summary>
internal sealed class Subcommands
{
    private const int QuotedNameMax = 128;
    private readonly string _container;
    private readonly SubcommandDoc[] _docs;

    /// <param name="container">The command, in capitals as HELP shows it.</param>
    /// <param name="docs">Its subcommands as COMMAND DOCS lists them ("client|kill").</param>
    public Subcommands(string container, SubcommandDoc[] docs)
    {
        _container = container;
        _docs = docs;
    }

    /// <summary>Answers <c>CONTAINER HELP</c>; false (nothing written) for any other request.</summary>
    public bool TryHelp(ReplyWriter reply, CommandArgs args)
    {
        if (args.Count != 2 || !args.Is(1, "HELP"u8))
        {
            return false;
        }

        reply.ArrayHeader((2 * _docs.Length) + 3);
        reply.SimpleString($"{_container} <subcommand> [<arg> [value] [opt] ...]. Subcommands are:");
        foreach (SubcommandDoc doc in _docs)
        {
            reply.SimpleString(ShortName(doc).ToUpperInvariant());
            reply.SimpleString("    " + doc.Summary);
        }

        reply.SimpleString("HELP");
        reply.SimpleString("    Prints this help.");
        return true;
    }

    /// <summary>The error for a request no subcommand handler took: a known name had the wrong number of arguments.</summary>
    public void ReplyError(ReplyWriter reply, CommandArgs args)
    {
        string name = Encoding.UTF8.GetString(args[1]);
        foreach (SubcommandDoc doc in _docs)
        {
            if (string.Equals(ShortName(doc), name, StringComparison.OrdinalIgnoreCase))
            {
                reply.Error(Errors.WrongArity(doc.Name));
                return;
            }
        }

        string quoted = name.Length > QuotedNameMax ? name[..QuotedNameMax] : name;
        reply.Error($"ERR unknown subcommand '{quoted}'. Try {_container} HELP.");
    }

    private static string ShortName(SubcommandDoc doc) => doc.Name[(doc.Name.IndexOf('|', StringComparison.Ordinal) + 1)..];
}
