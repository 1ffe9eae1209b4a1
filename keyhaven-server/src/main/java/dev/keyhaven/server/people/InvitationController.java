package dev.keyhaven.server.people;

import dev.keyhaven.server.access.OrgAction;
import dev.keyhaven.server.access.OrgPermission;
import dev.keyhaven.server.access.OrgSubject;
import dev.keyhaven.server.actor.Actor;
import dev.keyhaven.server.platform.web.PublicEndpoint;
import java.util.Map;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** Invitations to an organization: send and resend (Infisical's routes) and accept with the link's token. */
@RestController
public class InvitationController {
    private final InvitationService invitations;

    InvitationController(InvitationService invitations) {
        this.invitations = invitations;
    }

    @PostMapping("/api/v1/invite-org/signup")
    @OrgPermission(subject = OrgSubject.MEMBER, actions = OrgAction.CREATE)
    public Map<String, Object> invite(Actor actor, @RequestBody InvitationService.Invite body) {
        return invitations.invite(actor, body);
    }

    @PostMapping("/api/v1/invite-org/signup-resend")
    @OrgPermission(subject = OrgSubject.MEMBER, actions = OrgAction.CREATE)
    public Map<String, Object> resend(Actor actor, @RequestBody InvitationService.Resend body) {
        return invitations.resend(actor, body);
    }

    @PostMapping("/api/v1/invite-org/accept")
    @PublicEndpoint("accepts an invitation with the single-use token from its e-mail")
    public Map<String, Object> accept(@RequestBody InvitationService.Accept body) {
        return invitations.accept(body);
    }
}
