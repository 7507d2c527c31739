package dev.simplecall.samples.natlab;

/**
 * Tries to build a lab and says what happened; {@link NatLabLifecycleTest} runs it in a child JVM
 * stripped of all capabilities to prove the lab refuses, with a clear message, to run unprivileged.
 */
final class NoPrivilegeProbe {
  private NoPrivilegeProbe() {}

  public static void main(String[] args) {
    try (NatLab lab = NatLab.builder().lan("p", NatType.PORT_RESTRICTED_CONE, 1).build()) {
      System.out.println("BUILT " + lab.publicNs());
    } catch (IllegalStateException e) {
      System.out.println("REFUSED " + e.getMessage());
      System.exit(3);
    }
  }
}
