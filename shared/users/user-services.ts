import { FirebaseAccountClaims } from '../auth/firebase-account-claims';
import { firestore } from '../firebase/firestore';
import { ProfileService } from './profile-service';
import { RegistrationService } from './registration-service';
import { UserRepository } from './user-repository';

let registration: RegistrationService | undefined;
let profiles: ProfileService | undefined;

/** The registration service wired to Firestore and Firebase Auth, built on first use. */
export function registrationService(): RegistrationService {
  registration ??= new RegistrationService(
    firestore(),
    new UserRepository(firestore()),
    new FirebaseAccountClaims(),
  );
  return registration;
}

/** The profile service wired to Firestore, built on first use. */
export function profileService(): ProfileService {
  profiles ??= new ProfileService(new UserRepository(firestore()));
  return profiles;
}
