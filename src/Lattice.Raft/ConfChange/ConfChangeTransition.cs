namespace Lattice.Raft.ConfChange;

/// <summary>How a membership change is carried out.</summary>
public enum ConfChangeTransition : byte
{
    /// <summary>One voter change applies directly; more than one goes through a joint config left automatically.</summary>
    Auto = 0,

    /// <summary>Always joint; the leader leaves the joint config automatically once it is applied.</summary>
    JointImplicit = 1,

    /// <summary>Always joint; the application proposes an empty change to leave it.</summary>
    JointExplicit = 2,
}
