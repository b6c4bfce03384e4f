using Lattice.Resp;

namespace Lattice.Engine;

/// <summary>Runs one command; args[0] is the command name. Writes exactly one reply.</summary>
public delegate void CommandHandler(CommandContext context, CommandArgs args);
