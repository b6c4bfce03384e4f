namespace Lattice.Engine;

/// <summary>What COMMAND DOCS says about one subcommand of a container such as CLIENT or CONFIG.</summary>
public sealed class SubcommandDoc(string name, string summary, string syntax)
{
    private IReadOnlyList<CommandArgument>? _arguments;

    /// <summary>Lower-case, as Redis names it: "client|kill".</summary>
    public string Name { get; } = name;

    public string Summary { get; } = summary;

    /// <summary>The arguments after the subcommand's name, in <see cref="CommandSyntaxParser"/>'s form.</summary>
    public string Syntax { get; } = syntax;

    /// <summary>The argument tree, parsed on first use.</summary>
    public IReadOnlyList<CommandArgument> Arguments => _arguments ??= CommandSyntaxParser.Parse(Syntax);
}
