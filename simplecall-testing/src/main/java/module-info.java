/** The transport contract suite and test helpers for transport authors (JUnit 5). */
module dev.simplecall.testing {
  requires transitive dev.simplecall.protocol;
  requires transitive org.junit.jupiter.api;

  exports dev.simplecall.testing;
  opens dev.simplecall.testing to org.junit.platform.commons;
}
