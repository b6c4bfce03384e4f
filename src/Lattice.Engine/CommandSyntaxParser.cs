using System.Globalization;

namespace Lattice.Engine;

/// <summary>
/// Turns a command's syntax, written once in the form Redis documents it, into the argument tree COMMAND DOCS
/// reports (redis-cli builds its typing hints from that tree). The form, beyond Redis's own:
/// <list type="bullet">
/// <item><c>name</c> is an argument of type string, except <c>key</c>, of type key; <c>name:type</c> gives the type
/// (key, string, integer, double, pattern, unix-time).</item>
/// <item>An upper-case word is a token: alone it is a pure token; before one argument or group it is that
/// argument's token; first in a group of several it is the token of the block they make.</item>
/// <item><c>[ ]</c> is optional; <c>&lt; &gt;</c> and <c>( )</c> group without making optional; <c>a | b</c> inside
/// either is one of.</item>
/// <item><c>x...</c> repeats x (for a group whose token came from inside it, the token repeats too).</item>
/// <item><c>label=x</c> names x. Otherwise a token is named after it in lower case and a group after its parts'
/// names joined by '_', as Redis mostly names them.</item>
/// </list>
/// </summary>
public static class CommandSyntaxParser
{
    /// <summary>The argument tree of <paramref name="syntax"/>; a malformed syntax throws <see cref="FormatException"/>.</summary>
    public static IReadOnlyList<CommandArgument> Parse(string syntax)
    {
        ArgumentNullException.ThrowIfNull(syntax);
        var reader = new Reader(syntax);
        List<Draft> top = reader.Sequence();
        reader.SkipSpaces();
        if (!reader.AtEnd)
        {
            throw reader.Error($"unexpected '{reader.Current}'");
        }

        return Pair(top).ConvertAll(draft => draft.Build());
    }

    /// <summary>Gives each bare token the argument after it, if that argument has none; the rest become pure tokens.</summary>
    private static List<Draft> Pair(List<Draft> items)
    {
        var paired = new List<Draft>(items.Count);
        for (int i = 0; i < items.Count; i++)
        {
            Draft item = items[i];
            if (item.IsBareToken && i + 1 < items.Count && !items[i + 1].IsBareToken && items[i + 1].Token is null)
            {
                items[i + 1].Token = item.Token;
                paired.Add(items[i + 1]);
                i++;
            }
            else
            {
                item.IsBareToken = false;
                paired.Add(item);
            }
        }

        return paired;
    }

    /// <summary>One alternative inside brackets: a single argument, a token on one, or a block of several.</summary>
    private static Draft Collapse(List<Draft> items, Reader reader)
    {
        if (items.Count == 0)
        {
            throw reader.Error("empty group");
        }

        string? token = null;
        if (items[0].IsBareToken && items.Count >= 2)
        {
            token = items[0].Token;
            items = items.GetRange(1, items.Count - 1);
        }

        List<Draft> parts = Pair(items);
        Draft result = parts.Count == 1 ? parts[0] : Draft.Group(CommandArgumentType.Block, parts);
        if (token is not null)
        {
            if (result.Token is not null)
            {
                throw reader.Error($"two tokens ({token} and {result.Token}) on one argument");
            }

            result.Token = token;
        }

        return result;
    }

    private static Draft Group(List<List<Draft>> alternatives, Reader reader)
    {
        if (alternatives.Count == 1)
        {
            return Collapse(alternatives[0], reader);
        }

        return Draft.Group(CommandArgumentType.OneOf, alternatives.ConvertAll(alternative => Collapse(alternative, reader)));
    }

    /// <summary>An argument while its tree is being built: a token may still be moved onto it, flags added, the name changed.</summary>
    private sealed class Draft
    {
        public required string Name { get; set; }

        public required CommandArgumentType Type { get; init; }

        public string? Token { get; set; }

        /// <summary>An upper-case word not yet paired with what follows it.</summary>
        public bool IsBareToken { get; set; }

        public CommandArgumentFlags Flags { get; set; }

        public List<Draft> Parts { get; init; } = [];

        public static Draft Group(CommandArgumentType type, List<Draft> parts) => new()
        {
            Name = string.Join('_', parts.ConvertAll(part => part.Name)),
            Type = type,
            Parts = parts,
        };

        public CommandArgument Build() => new()
        {
            Name = Name,
            Type = Type,
            Token = Token,
            Flags = Flags,
            Arguments = Parts.ConvertAll(part => part.Build()),
        };
    }

    /// <summary>Reads the syntax left to right; each method consumes one construct.</summary>
    private sealed class Reader(string text)
    {
        private const string Delimiters = "[]<>()|=.";
        private int _position;

        public bool AtEnd => _position >= text.Length;

        public char Current => text[_position];

        public FormatException Error(string problem) =>
            new(string.Create(CultureInfo.InvariantCulture, $"command syntax \"{text}\": {problem} at offset {_position}"));

        public void SkipSpaces()
        {
            while (!AtEnd && char.IsWhiteSpace(Current))
            {
                _position++;
            }
        }

        /// <summary>Items up to a closing bracket, a '|' or the end.</summary>
        public List<Draft> Sequence()
        {
            var items = new List<Draft>();
            while (true)
            {
                SkipSpaces();
                if (AtEnd || Current is ']' or '>' or ')' or '|')
                {
                    return items;
                }

                items.Add(Item());
            }
        }

        private Draft Item()
        {
            string? label = null;
            int start = _position;
            string word = Word();
            if (!AtEnd && Current == '=')
            {
                if (word.Length == 0)
                {
                    throw Error("'=' without a name before it");
                }

                label = word;
                _position++;
                start = _position;
                word = Word();
            }

            Draft item;
            bool grouped = word.Length == 0;
            if (!grouped)
            {
                item = Atom(word);
            }
            else if (!AtEnd && Current is '[' or '<' or '(')
            {
                char open = Current;
                _position++;
                var alternatives = new List<List<Draft>> { Sequence() };
                while (!AtEnd && Current == '|')
                {
                    _position++;
                    alternatives.Add(Sequence());
                }

                char close = open switch { '[' => ']', '<' => '>', _ => ')' };
                if (AtEnd || Current != close)
                {
                    throw Error($"'{open}' not closed by '{close}'");
                }

                _position++;
                item = Group(alternatives, this);
                if (open == '[')
                {
                    item.Flags |= CommandArgumentFlags.Optional;
                }
            }
            else
            {
                _position = start;
                throw Error(AtEnd ? "an argument expected" : $"unexpected '{Current}'");
            }

            SkipSpaces();
            if (string.CompareOrdinal(text, _position, "...", 0, 3) == 0)
            {
                if (item.IsBareToken)
                {
                    throw Error($"a bare token ({item.Token}) cannot repeat");
                }

                _position += 3;
                item.Flags |= grouped && item.Token is not null
                    ? CommandArgumentFlags.Multiple | CommandArgumentFlags.MultipleToken
                    : CommandArgumentFlags.Multiple;
            }

            if (label is not null)
            {
                item.Name = label;
            }

            return item;
        }

        private string Word()
        {
            int start = _position;
            while (!AtEnd && !char.IsWhiteSpace(Current) && !Delimiters.Contains(Current, StringComparison.Ordinal))
            {
                _position++;
            }

            return text[start.._position];
        }

        private Draft Atom(string word)
        {
            if (IsToken(word))
            {
                return new Draft { Name = word.ToLowerInvariant(), Type = CommandArgumentType.PureToken, Token = word, IsBareToken = true };
            }

            int colon = word.LastIndexOf(':');
            if (colon > 0 && TypeNamed(word[(colon + 1)..]) is { } type)
            {
                return new Draft { Name = word[..colon], Type = type };
            }

            return new Draft { Name = word, Type = word == "key" ? CommandArgumentType.Key : CommandArgumentType.String };
        }

        private static bool IsToken(string word)
        {
            bool letter = false;
            foreach (char c in word)
            {
                if (c is >= 'A' and <= 'Z')
                {
                    letter = true;
                }
                else if (c is not ((>= '0' and <= '9') or '-' or '_'))
                {
                    return false;
                }
            }

            return letter;
        }

        /// <summary>The placeholder types (pure-token, oneof and block come from the form, not from a name).</summary>
        private static CommandArgumentType? TypeNamed(string name) => name switch
        {
            "string" => CommandArgumentType.String,
            "key" => CommandArgumentType.Key,
            "integer" => CommandArgumentType.Integer,
            "double" => CommandArgumentType.Double,
            "pattern" => CommandArgumentType.Pattern,
            "unix-time" => CommandArgumentType.UnixTime,
            _ => null,
        };
    }
}
