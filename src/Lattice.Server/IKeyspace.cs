using Lattice.Engine;
using Lattice.Resp;

namespace Lattice.Server;

/// <summary>The data a session reads: the engine's state and commands, and the engine lock reads run under.</summary>
internal interface IKeyspace
{
    Database Database { get; }

    CommandTable Commands { get; }

    void Enter();

    void Exit();

    /// <summary>Runs a read as of <paramref name="nowMs"/> (Unix ms; expired keys are absent). Under the engine lock.</summary>
    void ExecuteRead(CommandContext context, CommandSpec spec, CommandArgs args, long nowMs, ulong randomSeed);

    long NowMs();

    long NextEntryTimeMs();
}
