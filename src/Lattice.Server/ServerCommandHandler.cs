using Lattice.Resp;

namespace Lattice.Server;

/// <summary>A connection or server command, run by the session itself rather than the engine.</summary>
internal delegate void ServerCommandHandler(ClientSession session, CommandArgs args);
