package dev.simplecall.internal;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The DTLS roles a call agreed on, and the repair of a later remote description that contradicts
 * them. Once a DTLS connection runs, its client and server stay fixed for the call; a remote stack
 * that answers a re-offer with the role this side holds (GStreamer 1.22's webrtcbin answers
 * {@code a=setup:active} while it is the DTLS server) would make libwebrtc fail with "Failed to set
 * SSL role for the transport", and libwebrtc then refuses every later description of that peer
 * connection, rollback included. So a description from the same remote certificate that claims this
 * side's role is read as keeping the agreed roles: its {@code a=setup} lines are rewritten before
 * libwebrtc sees them.
 *
 * <pre>{@code
 * DtlsRoles roles = new DtlsRoles();
 * roles.weAnswered(localAnswer, remoteOffer);      // or roles.theyAnswered(remoteAnswer)
 * String fixed = roles.repairAnswer(nextRemoteAnswer); // == nextRemoteAnswer when nothing is wrong
 * }</pre>
 */
final class DtlsRoles {
  private static final Pattern SETUP = Pattern.compile("^a=setup:([a-z]+)", Pattern.MULTILINE);
  private static final Pattern FINGERPRINT = Pattern.compile("^a=fingerprint:([^\\r\\n]+)", Pattern.MULTILINE);

  /** {@code active} or {@code passive}: this side's agreed role; null before any agreement. */
  private String ours;
  /** The remote certificate's fingerprint when the roles were agreed. */
  private String remoteFingerprint;

  /** We answered {@code remoteOffer} with {@code localAnswer}: our role is our answer's setup. */
  void weAnswered(String localAnswer, String remoteOffer) {
    agree(setup(localAnswer), remoteOffer);
  }

  /** {@code remoteAnswer} to our offer was applied: our role is the other one. */
  void theyAnswered(String remoteAnswer) {
    agree(opposite(setup(remoteAnswer)), remoteAnswer);
  }

  private void agree(String role, String remote) {
    if (role == null) return;
    ours = role;
    remoteFingerprint = fingerprint(remote);
  }

  /** {@code answer} with the remote's role kept, when it claims ours; else {@code answer} itself. */
  String repairAnswer(String answer) {
    return claimsOurRole(answer) ? withSetup(answer, opposite(ours)) : answer;
  }

  /** {@code offer} with {@code actpass}, when it claims our role (then libwebrtc's answer keeps ours). */
  String repairOffer(String offer) {
    return claimsOurRole(offer) ? withSetup(offer, "actpass") : offer;
  }

  /** Whether {@code remote} comes from the same certificate and names this side's agreed role. */
  boolean claimsOurRole(String remote) {
    return ours != null && ours.equals(setup(remote)) && remoteFingerprint != null
        && remoteFingerprint.equals(fingerprint(remote));
  }

  String ours() {
    return ours;
  }

  static String setup(String sdp) {
    Matcher m = SETUP.matcher(sdp);
    return m.find() ? m.group(1) : null;
  }

  private static String fingerprint(String sdp) {
    Matcher m = FINGERPRINT.matcher(sdp);
    return m.find() ? m.group(1).strip().toLowerCase(java.util.Locale.ROOT) : null;
  }

  private static String opposite(String role) {
    if ("active".equals(role)) return "passive";
    if ("passive".equals(role)) return "active";
    return null;
  }

  private static String withSetup(String sdp, String role) {
    return SETUP.matcher(sdp).replaceAll("a=setup:" + role);
  }
}
