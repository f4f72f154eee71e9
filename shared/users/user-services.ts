import { AccountDeletionRepository } from '../accounts/account-deletion-repository';
import { FirebaseAccountClaims } from '../auth/firebase-account-claims';
import { firestore } from '../firebase/firestore';
import { InvitationRepository } from './invitation-repository';
import { ProfileService } from './profile-service';
import { RegistrationService } from './registration-service';
import { TeamService } from './team-service';
import { systemClock } from '../time/clock';
import { UserRepository } from './user-repository';

let registration: RegistrationService | undefined;
let profiles: ProfileService | undefined;
let team: TeamService | undefined;

/** The registration service wired to Firestore and Firebase Auth, built on first use. */
export function registrationService(): RegistrationService {
  registration ??= new RegistrationService(
    firestore(),
    new UserRepository(firestore()),
    new FirebaseAccountClaims(),
    new InvitationRepository(firestore()),
    new AccountDeletionRepository(firestore()),
  );
  return registration;
}

/** The team service wired to Firestore and Firebase Auth, built on first use. */
export function teamService(): TeamService {
  team ??= new TeamService({
    db: firestore(),
    users: new UserRepository(firestore()),
    invitations: new InvitationRepository(firestore()),
    claims: new FirebaseAccountClaims(),
    clock: systemClock,
  });
  return team;
}

/** The profile service wired to Firestore, built on first use. */
export function profileService(): ProfileService {
  profiles ??= new ProfileService(new UserRepository(firestore()));
  return profiles;
}
