package dev.simplecall.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Which later remote descriptions contradict the agreed DTLS roles, and how they are repaired. */
@Tag("fast")
class DtlsRolesTest {
  private static final String FP_THEM = "sha-256 AA:BB:CC";
  private static final String FP_OTHER = "sha-256 11:22:33";

  private static String sdp(String setup, String fingerprint) {
    return "v=0\r\na=group:BUNDLE 0 1\r\nm=video 9 UDP/TLS/RTP/SAVPF 96\r\na=fingerprint:" + fingerprint
        + "\r\na=setup:" + setup + "\r\na=mid:0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=fingerprint:" + fingerprint
        + "\r\na=setup:" + setup + "\r\na=mid:1\r\n";
  }

  @Test
  void nothingIsRepairedBeforeAnyAgreement() {
    DtlsRoles roles = new DtlsRoles();
    String answer = sdp("active", FP_THEM);
    assertSame(answer, roles.repairAnswer(answer));
    assertNull(roles.ours());
  }

  @Test
  void afterWeAnsweredActiveAnAnswerClaimingActiveKeepsThemPassive() {
    DtlsRoles roles = new DtlsRoles();
    roles.weAnswered(sdp("active", "sha-256 OUR:S"), sdp("actpass", FP_THEM));
    assertEquals("active", roles.ours());
    String repaired = roles.repairAnswer(sdp("active", FP_THEM));
    assertEquals(sdp("passive", FP_THEM), repaired, "every m-section's setup is rewritten");
    String fine = sdp("passive", FP_THEM);
    assertSame(fine, roles.repairAnswer(fine));
  }

  @Test
  void afterTheyAnsweredActiveWeArePassiveAndAReOfferClaimingPassiveBecomesActpass() {
    DtlsRoles roles = new DtlsRoles();
    roles.theyAnswered(sdp("active", FP_THEM));
    assertEquals("passive", roles.ours());
    assertEquals(sdp("actpass", FP_THEM), roles.repairOffer(sdp("passive", FP_THEM)));
    String actpass = sdp("actpass", FP_THEM);
    assertSame(actpass, roles.repairOffer(actpass));
  }

  @Test
  void aNewRemoteCertificateIsANewDtlsConnectionAndIsNotRepaired() {
    DtlsRoles roles = new DtlsRoles();
    roles.weAnswered(sdp("active", "sha-256 OUR:S"), sdp("actpass", FP_THEM));
    assertFalse(roles.claimsOurRole(sdp("active", FP_OTHER)));
    String fresh = sdp("active", FP_OTHER);
    assertSame(fresh, roles.repairAnswer(fresh));
  }

  @Test
  void fingerprintsCompareWithoutCaseAndSurroundingSpace() {
    DtlsRoles roles = new DtlsRoles();
    roles.theyAnswered(sdp("passive", "SHA-256 aa:bb:cc "));
    assertEquals("active", roles.ours());
    assertEquals(sdp("passive", FP_THEM), roles.repairAnswer(sdp("active", FP_THEM)));
  }
}
