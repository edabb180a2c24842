"""The wording of synthetic texts: clause patterns per category, sentence frames, walk-in phrases.

Data only; `interx.synth.texts` documents the pattern slots and fills them in.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Pool:
    """Clause patterns of one category: what the first person does, and per reaction what the second does."""

    actions: tuple[str, ...]
    responds: tuple[str, ...]
    recoils: tuple[str, ...]
    still: tuple[str, ...]


POOLS: dict[str, Pool] = {
    "Hug": Pool(
        actions=(
            "{adv} opens {arm} and hugs the second person tightly",
            "{adv} wraps {arm} around the second person and pulls them into a hug",
            "{adv} hugs the second person, putting {arm} around their {spot}",
            "leans in and {adv} embraces the second person with {arm}",
        ),
        responds=(
            "hugs the first person back [with {r_arm}]",
            "returns the hug[, wrapping {r_arm} around the first person's {r_spot}]",
            "hugs back warmly[, putting {r_arm} around the first person's {r_spot}]",
        ),
        recoils=(
            "leans away and steps back out of the hug[, pushing with {r_hand}]",
            "stiffens and turns away from the embrace[, raising {r_hand}]",
            "slips out of the first person's arms[, pushing with {r_hand}]",
        ),
        still=(
            "stands still and lets the first person hug them[, {r_arm} hanging down]",
            "does not move and simply accepts the hug[, keeping {r_arm} at the side]",
            "stays still in the embrace[, only lifting {r_hand} a little]",
        ),
    ),
    "Handshake": Pool(
        actions=(
            "{adv} reaches out {hand} and shakes the second person's hand {times}",
            "extends {hand} for a handshake and {adv} moves {it} up and down {times}",
            "{adv} grasps the second person's hand with {hand} and shakes it {times}",
            "offers {hand} to the second person and {adv} shakes hands, pumping {times}",
        ),
        responds=(
            "takes the offered hand [with {r_hand}] and shakes it firmly",
            "grips back [with {r_hand}] and joins the handshake",
            "reaches out[ with {r_hand}] to meet the handshake",
        ),
        recoils=(
            "pulls back and refuses to shake hands[, raising {r_hand} instead]",
            "turns away from the offered hand[, hiding {r_hand} behind the back]",
            "leans away and avoids the handshake[, pulling {r_hand} back]",
        ),
        still=(
            "stays still and lets their hand be shaken[, barely moving {r_hand}]",
            "stays passive and only lets the handshake happen[, holding out {r_hand} limply]",
            "does not grip back[ and keeps {r_hand} loose] while being shaken",
        ),
    ),
    "Wave": Pool(
        actions=(
            "raises {hand} and {adv} waves {it} {times} at the second person",
            "{adv} waves {hand} at the second person {times} as a greeting",
            "lifts {hand} above the shoulder and {adv} waves {times} toward the second person",
            "{adv} greets the second person by waving {hand} {times}",
        ),
        responds=(
            "waves back[ with {r_hand}]",
            "turns toward the first person and waves back[ with {r_hand}]",
            "smiles and returns the greeting[, waving {r_hand}]",
        ),
        recoils=(
            "turns away and ignores the greeting[, lowering {r_hand}]",
            "steps back and looks away[, {r_hand} pulled close to the body]",
            "backs off and turns aside[, keeping {r_hand} down]",
        ),
        still=(
            "stands still and just watches[ with {r_hand} at the side]",
            "stays where they are and does not wave back[, only lifting {r_hand} slightly]",
            "looks at the first person without moving[, barely lifting {r_hand}]",
        ),
    ),
    "Grab": Pool(
        actions=(
            "{adv} reaches out and grabs the second person's arm with {hand}",
            "{adv} grabs the second person by the wrist using {hand}",
            "stretches out {hand} and {adv} seizes the second person's arm",
            "{adv} catches hold of the second person's forearm with {hand} and holds it tight",
        ),
        responds=(
            "grabs the first person's arm in return[ with {r_hand}]",
            "twists and grips back[, holding the first person's wrist with {r_hand}]",
            "catches the first person's arm as well[ using {r_hand}]",
        ),
        recoils=(
            "jerks the arm back and pulls free[, pushing with {r_hand}]",
            "stumbles back and tries to shake off the grip[ with {r_hand}]",
            "turns away and yanks the arm out of the grip[, raising {r_hand}]",
        ),
        still=(
            "stands still and lets the arm be held[, {r_hand} hanging loose]",
            "does not resist and keeps still[ with {r_hand} relaxed]",
            "stays calm and lets the first person keep hold[, barely moving {r_hand}]",
        ),
    ),
    "Hit": Pool(
        actions=(
            "{adv} punches the second person in the chest with {hand} {times}",
            "raises {fist} and {adv} hits the second person in the stomach {times}",
            "{adv} strikes the second person's shoulder {times} with {fist}",
            "swings {arm} and {adv} hits the second person {times}",
        ),
        responds=(
            "fights back and hits the first person in return[ with {r_hand}]",
            "punches the first person back[ with {r_fist}]",
            "blocks the attack and strikes back[ with {r_hand}]",
        ),
        recoils=(
            "staggers backward and bends over in pain[, holding the stomach with {r_hand}]",
            "stumbles back and turns away[, covering the chest with {r_hand}]",
            "is knocked back and retreats[, shielding the face with {r_hand}]",
        ),
        still=(
            "does not fight back and just takes it[ with {r_hand} down]",
            "does not move or block[, only lifting {r_hand} a little]",
            "just stands there and endures it[, {r_hand} hanging at the side]",
        ),
    ),
    "Kick": Pool(
        actions=(
            "lifts {leg} and {adv} kicks the second person {times}",
            "{adv} kicks the second person in the leg {times} with {foot}",
            "swings {leg} forward and {adv} kicks at the second person {times}",
            "{adv} kicks {times} at the second person's thigh using {foot}",
        ),
        responds=(
            "kicks the first person back[, swinging {r_arm} for balance]",
            "fights back with a kick of their own[, raising {r_hand} for balance]",
            "answers with a kick[ and shoves with {r_hand}]",
        ),
        recoils=(
            "doubles over and steps back[, clutching the leg with {r_hand}]",
            "hops away and rubs the leg[ with {r_hand}]",
            "stumbles backward, losing balance[ and catching themselves with {r_hand}]",
        ),
        still=(
            "stands still and lets it happen[, {r_hand} hanging down]",
            "does not move out of the way[ and keeps {r_hand} down]",
            "stays in place without reacting[, only lifting {r_hand} slightly]",
        ),
    ),
    "Posing": Pool(
        actions=(
            "{adv} puts {arm} around the second person's shoulders to pose for a photo",
            "{adv} strikes a pose beside the second person, raising {hand} in a peace sign",
            "{adv} leans close to the second person and poses, holding up {hand}",
            "{adv} poses with the second person for a photo, stretching out {arm}",
        ),
        responds=(
            "poses as well[, raising {r_hand} toward the camera]",
            "joins the pose[ and puts {r_arm} around the first person]",
            "leans in and smiles for the photo[, making a sign with {r_hand}]",
        ),
        recoils=(
            "leans away and steps out of the picture[, waving {r_hand} to refuse]",
            "moves aside and turns away from the camera[, covering the face with {r_hand}]",
            "pulls back from the first person[, holding up {r_hand} to refuse]",
        ),
        still=(
            "stands still and lets the first person pose[, {r_arm} hanging down]",
            "stays stiff beside the first person[ with {r_hand} at the side]",
            "keeps still without posing[, barely raising {r_hand}]",
        ),
    ),
    "Push": Pool(
        actions=(
            "{adv} pushes the second person on the chest with {hand} {times}",
            "puts {hand} on the second person's shoulders and {adv} shoves {times}",
            "{adv} shoves the second person away {times} using {hand}",
            "presses {hand} against the second person and {adv} pushes {times}",
        ),
        responds=(
            "pushes the first person back[ with {r_hand}]",
            "regains balance and shoves back[ using {r_hand}]",
            "pushes back in return[, pressing {r_hand} against the first person's chest]",
        ),
        recoils=(
            "staggers backward a few steps[, waving {r_arm} for balance]",
            "stumbles back and almost falls[, reaching out {r_hand}]",
            "is pushed back and turns away[, holding {r_hand} up]",
        ),
        still=(
            "stands firm and lets it happen[, {r_hand} hanging down]",
            "barely moves and does not push back[, keeping {r_hand} low]",
            "stays still and takes the push[ with {r_hand} at the side]",
        ),
    ),
    "Pull": Pool(
        actions=(
            "grabs the second person's arm with {hand} and {adv} pulls {times}",
            "{adv} tugs the second person toward themselves {times} with {hand}",
            "grips the second person's wrist with {hand} and {adv} drags them forward {times}",
            "{adv} pulls the second person by the hand {times}, gripping with {hand}",
        ),
        responds=(
            "pulls back against the first person[ with {r_hand}]",
            "resists and tugs in the other direction[ using {r_hand}]",
            "leans back and pulls the other way[, gripping with {r_hand}]",
        ),
        recoils=(
            "yanks free and steps back[, pulling {r_hand} out of the grip]",
            "stumbles forward and loses balance[, reaching out {r_hand}]",
            "twists away and breaks loose[, pulling {r_arm} back]",
        ),
        still=(
            "stands still and lets themselves be pulled along[, {r_hand} held loosely]",
            "does not resist and follows the pull[ with {r_arm} relaxed]",
            "stays passive and lets the first person pull[, barely moving {r_hand}]",
        ),
    ),
    "Sit on leg": Pool(
        actions=(
            "{adv} sits down on the second person's leg, resting {hand} on their shoulder",
            "{adv} sits on the second person's thigh, holding their shoulder with {hand}",
            "{adv} lowers down onto the second person's thigh, {arm} around their shoulders",
            "{adv} sits on the second person's knee and puts {arm} around their neck",
        ),
        responds=(
            "holds the first person around the waist[ with {r_arm}]",
            "shifts to make room[, supporting the first person's back with {r_hand}]",
            "steadies the first person on the lap[ with {r_hand} on their back]",
        ),
        recoils=(
            "leans away and tries to get up[, pushing with {r_hand}]",
            "shifts back uncomfortably[, raising {r_hand} to stop them]",
            "twists aside and moves the leg away[, holding out {r_hand}]",
        ),
        still=(
            "stays seated and lets the first person sit[, {r_hand} resting on the knee]",
            "sits still without moving[, keeping {r_hand} on the thigh]",
            "does not react and keeps still[, {r_arm} hanging down]",
        ),
    ),
    "Slap": Pool(
        actions=(
            "raises {hand} and {adv} slaps the second person across the face {times}",
            "{adv} slaps the second person's cheek {times} with {hand}",
            "swings {hand} and {adv} smacks the second person on the face {times}",
            "{adv} hits the second person's face {times} with the palm of {hand}",
        ),
        responds=(
            "slaps the first person back[ with {r_hand}]",
            "strikes back at the first person's face[ with {r_hand}]",
            "answers with a slap of their own[ using {r_hand}]",
        ),
        recoils=(
            "turns the head aside and steps back[, holding the cheek with {r_hand}]",
            "jerks away in shock[, covering the face with {r_hand}]",
            "staggers sideways and rubs the cheek[ with {r_hand}]",
        ),
        still=(
            "stands still and takes it[, {r_hand} hanging down]",
            "does not flinch[ and keeps {r_hand} down]",
            "stays in place and lets it happen[ with {r_hand} at the side]",
        ),
    ),
    "Pat on back": Pool(
        actions=(
            "{adv} pats the second person on the back {times} with {hand}",
            "reaches around the second person and {adv} taps their back {times} using {hand}",
            "places {hand} on the second person's back and {adv} pats {times}",
            "{adv} claps the second person on the back {times} with {hand}",
        ),
        responds=(
            "pats the first person's back in return[ with {r_hand}]",
            "turns and smiles, patting back[ with {r_hand}]",
            "returns the gesture[, tapping the first person's shoulder with {r_hand}]",
        ),
        recoils=(
            "leans forward away from the touch[, brushing it off with {r_hand}]",
            "steps away and turns around[, raising {r_hand}]",
            "shrugs the hand off and moves away[, pushing it aside with {r_hand}]",
        ),
        still=(
            "stands still and accepts it[, {r_hand} at the side]",
            "does not turn around[ and keeps {r_hand} down]",
            "stays still and lets the first person pat them[, barely lifting {r_hand}]",
        ),
    ),
    "Point finger at": Pool(
        actions=(
            "{adv} jabs {finger} toward the second person {times}",
            "raises {hand} and {adv} points at the second person's face {times}",
            "stretches out {arm} and {adv} points at the second person {times}, as if blaming them",
            "{adv} points {finger} at the second person {times} in an angry way",
        ),
        responds=(
            "points back at the first person[ with {r_hand}]",
            "argues back, pointing at the first person[ with {r_finger}]",
            "answers by pointing[ {r_finger}] at the first person",
        ),
        recoils=(
            "leans back and steps away[, raising {r_hand} defensively]",
            "turns away from the accusation[, waving {r_hand}]",
            "shrinks back and lowers the head[, covering the face with {r_hand}]",
        ),
        still=(
            "stands still and listens[ with {r_hand} at the side]",
            "does not react to the pointing[, keeping {r_hand} down]",
            "stays where they are and just looks[, {r_hand} resting on the hip]",
        ),
    ),
    "Walk towards": Pool(
        actions=(
            "{adv} walks toward the second person and stops in front of them",
            "{adv} walks straight up to the second person from a few steps away",
            "starts from a distance and {adv} walks over to the second person",
            "{adv} takes a number of steps toward the second person until they are close",
        ),
        responds=(
            "comes forward to meet them halfway[, raising {r_hand} in greeting]",
            "also steps forward to meet the first person[, lifting {r_hand}]",
            "turns toward the first person and greets them[, raising {r_hand}]",
        ),
        recoils=(
            "backs away as the first person comes closer[, holding up {r_hand}]",
            "steps back and keeps a distance[, raising {r_hand}]",
            "turns aside and moves away[ with {r_hand} held out]",
        ),
        still=(
            "stands still and waits for them[ with {r_hand} at the side]",
            "stays in place and watches the first person come closer[, barely lifting {r_hand}]",
            "does not move[, keeping {r_hand} down,] and simply waits",
        ),
    ),
    "Knock over": Pool(
        actions=(
            "{adv} shoves the second person hard with {hand} and knocks them down",
            "{adv} pushes the second person to the ground using {hand}",
            "{adv} throws {arm} against the second person and knocks them over",
            "{adv} rams {hand} into the second person's chest and knocks them over",
        ),
        responds=(
            "grabs the first person[ with {r_hand}] and pulls them down too",
            "falls but pushes back at the first person[ with {r_hand}]",
            "struggles against the push[, shoving back with {r_hand}]",
        ),
        recoils=(
            "staggers back and falls to the ground[, catching the fall with {r_hand}]",
            "topples backward onto the floor[, landing on {r_hand}]",
            "loses balance, stumbles and falls over[, reaching out {r_hand}]",
        ),
        still=(
            "does not resist and falls over[ with {r_arm} hanging limp]",
            "stays stiff and simply falls down[, barely lifting {r_hand}]",
            "lets themselves be knocked down[, {r_hand} hanging loose]",
        ),
    ),
    "Step on foot": Pool(
        actions=(
            "{adv} steps on the second person's foot with {foot} {times}",
            "lifts {foot} and {adv} stamps on the second person's toes {times}",
            "{adv} stomps {foot} down onto the second person's foot {times}",
            "{adv} treads on the second person's foot {times} using {foot}",
        ),
        responds=(
            "steps on the first person's foot in return[ and pushes them with {r_hand}]",
            "stamps back on the first person's toes[, holding their arm with {r_hand}]",
            "retaliates by stepping on their foot[, grabbing their shoulder with {r_hand}]",
        ),
        recoils=(
            "pulls the foot back and hops away[, holding the toes with {r_hand}]",
            "jumps back in pain[, reaching down with {r_hand}]",
            "steps back and lifts the hurt foot[, balancing with {r_arm}]",
        ),
        still=(
            "stays still and lets the foot be stepped on[, {r_hand} at the side]",
            "does not move the foot away[ and keeps {r_hand} down]",
            "just stands there and takes it[, only lifting {r_hand} a little]",
        ),
    ),
    "High-five": Pool(
        actions=(
            "raises {hand} and {adv} gives the second person a high five, clapping {times}",
            "{adv} lifts {hand} up high and slaps palms with the second person {times}",
            "holds up {hand} and {adv} claps {it} against the second person's palm {times}",
            "{adv} high fives the second person {times} with {hand}",
        ),
        responds=(
            "meets the high five[ with {r_hand}]",
            "smiles and slaps the palm back[ with {r_hand}]",
            "returns the high five[, lifting {r_hand} to meet it]",
        ),
        recoils=(
            "pulls back and leaves the first person hanging[, lowering {r_hand}]",
            "steps away from the raised hand[, holding {r_hand} behind the back]",
            "turns aside and refuses the high five[ and tucks {r_hand} away]",
        ),
        still=(
            "stands still and does not raise a hand[, keeping {r_hand} down]",
            "stays still and lets it happen[, {r_hand} barely lifted]",
            "watches without moving[, only lifting {r_hand} a little]",
        ),
    ),
    "Chase": Pool(
        actions=(
            "{adv} runs after the second person, trying to catch them",
            "{adv} chases the second person around the room",
            "starts running and {adv} follows the second person to catch them",
            "{adv} runs toward the second person and chases them",
        ),
        responds=(
            "runs off playfully[, swinging {r_arm}]",
            "turns and runs away laughing[ with {r_hand} raised]",
            "plays along and escapes around the room[, waving {r_hand}]",
        ),
        recoils=(
            "backs away in fright[, holding up {r_hand}]",
            "dodges to the side to avoid being caught[, raising {r_hand}]",
            "turns away and flees[, covering the head with {r_hand}]",
        ),
        still=(
            "stays where they are and lets themselves be caught[, {r_hand} at the side]",
            "stands still and waits for the first person[ with {r_hand} down]",
            "does not run and gets caught easily[, barely lifting {r_hand}]",
        ),
    ),
    "Whisper in ear": Pool(
        actions=(
            "leans toward the second person and {adv} whispers in their ear, covering the mouth with {hand}",
            "{adv} cups {hand} around the mouth and whispers into the second person's ear",
            "{adv} bends close to the second person's ear and whispers, shielding the words with {hand}",
            "{adv} leans close to the second person's ear and whispers a secret, {hand} raised beside the mouth",
        ),
        responds=(
            "leans in to listen and whispers back[, cupping {r_hand} over the mouth]",
            "nods and whispers something back[, raising {r_hand} to the mouth]",
            "turns the head to listen and answers quietly[ behind {r_hand}]",
        ),
        recoils=(
            "leans away from the first person[, pushing them off with {r_hand}]",
            "pulls the head back as if tickled[, rubbing the ear with {r_hand}]",
            "turns away and steps back[, covering the ear with {r_hand}]",
        ),
        still=(
            "stays still and listens[ with {r_hand} at the side]",
            "keeps still and lets the first person whisper[, barely lifting {r_hand}]",
            "stands quietly and listens without moving[, {r_hand} resting on the hip]",
        ),
    ),
    "Support with hand": Pool(
        actions=(
            "{adv} reaches out {hand} and supports the second person by the arm",
            "{adv} holds the second person up with {hand} under their elbow",
            "steps in and {adv} steadies the second person, propping them up with {hand}",
            "{adv} places {hand} on the second person's back to support them",
        ),
        responds=(
            "leans on the first person and holds their arm[ with {r_hand}]",
            "accepts the help[, gripping the first person's shoulder with {r_hand}]",
            "steadies themselves[ by grabbing the first person with {r_hand}]",
        ),
        recoils=(
            "shakes off the help and steps away[, brushing the hand aside with {r_hand}]",
            "pulls away from the support[, raising {r_hand}]",
            "refuses and leans back[, pushing with {r_hand}]",
        ),
        still=(
            "stays still and lets themselves be supported[, {r_arm} hanging down]",
            "does not move and leans into the support[, keeping {r_hand} low]",
            "remains still[ with {r_hand} at the side] while being held up",
        ),
    ),
    "Rock-paper-scissors": Pool(
        actions=(
            "{adv} shakes {hand} {times} and plays rock paper scissors with the second person",
            "{adv} plays rock paper scissors with the second person, pumping {hand} {times}",
            "{adv} bounces {hand} {times} and throws out scissors at the second person",
            "challenges the second person to rock paper scissors and {adv} swings {hand} {times}",
        ),
        responds=(
            "plays along and shows rock[ with {r_hand}]",
            "joins the game and throws out paper[ with {r_hand}]",
            "plays too[, swinging {r_hand} in time]",
        ),
        recoils=(
            "refuses to play and turns away[, waving {r_hand}]",
            "steps back and shakes the head[, hiding {r_hand}]",
            "pulls back from the game[, putting {r_hand} behind the back]",
        ),
        still=(
            "just stands still and watches[ with {r_hand} at the side]",
            "does not join in[ and keeps {r_hand} down]",
            "stays still and only looks at the hand[, barely lifting {r_hand}]",
        ),
    ),
    "Dance": Pool(
        actions=(
            "takes the second person's hand with {hand} and {adv} dances with them, stepping {times}",
            "{adv} dances with the second person, holding them with {hand} and stepping {times}",
            "holds the second person with {hand} and {adv} leads the dance, stepping {times}",
            "{adv} invites the second person to dance, holding them with {hand} and stepping {times}",
        ),
        responds=(
            "dances along[, holding the first person with {r_hand}]",
            "follows the steps together with the first person[, lifting {r_hand}]",
            "moves to the rhythm[ with {r_hand} on the first person's shoulder]",
        ),
        recoils=(
            "pulls away and steps back[, raising {r_hand}]",
            "refuses to dance and turns away[, shaking off the grip with {r_hand}]",
            "stumbles back out of the dance[, waving {r_hand}]",
        ),
        still=(
            "stands still and lets the first person lead[, {r_arm} loose]",
            "barely moves while the first person dances[, {r_hand} hanging down]",
            "stays stiff and does not dance[, keeping {r_hand} still]",
        ),
    ),
    "Link arms": Pool(
        actions=(
            "{adv} hooks {arm} through the second person's arm",
            "stands beside the second person and {adv} links arms with them using {arm}",
            "{adv} slips {arm} under the second person's elbow so their arms are linked",
            "{adv} takes the second person's arm and locks it with {arm}",
        ),
        responds=(
            "links arms back[, holding the first person's arm with {r_hand}]",
            "tightens the link[, pressing {r_arm} against the first person's arm]",
            "accepts and hooks in[ with {r_arm}] as well",
        ),
        recoils=(
            "pulls the arm free and steps away[, raising {r_hand}]",
            "leans away and breaks the link[ with {r_hand}]",
            "turns aside and slides out of the link[, pushing with {r_hand}]",
        ),
        still=(
            "stands still and lets the arms be linked[, {r_hand} hanging loose]",
            "does not react and keeps still[ with {r_hand} relaxed]",
            "stays in place and lets it happen[, barely moving {r_hand}]",
        ),
    ),
    "Shoulder to shoulder": Pool(
        actions=(
            "stands beside the second person and {adv} puts {arm} around their back",
            "{adv} presses against the second person shoulder to shoulder and wraps {arm} around them",
            "{adv} leans in beside the second person shoulder to shoulder, resting {arm} on their back",
            "{adv} puts {arm} around the second person's back as they stand side by side",
        ),
        responds=(
            "leans in as well[ and puts {r_arm} around the first person]",
            "stands close shoulder to shoulder[, resting {r_arm} on the first person's back]",
            "presses closer in return[, hooking {r_arm} around the first person's waist]",
        ),
        recoils=(
            "shrugs off the arm and steps aside[, pushing with {r_hand}]",
            "leans away from the first person[, lifting {r_hand} to remove the arm]",
            "slides out from under the arm and moves away[ with {r_hand} raised]",
        ),
        still=(
            "stands still and lets the first person lean on them[, {r_arm} hanging down]",
            "stays stiff and does not lean back[, keeping {r_arm} at the side]",
            "keeps still beside the first person[, barely lifting {r_hand}]",
        ),
    ),
    "Bend": Pool(
        actions=(
            "{adv} bends forward at the waist and bows to the second person {times}",
            "faces the second person and {adv} bows deeply {times}",
            "{adv} bends the upper body toward the second person {times} as a bow",
            "{adv} lowers the head and bends over {times} in front of the second person",
        ),
        responds=(
            "bows back[ with {r_hand} on the chest]",
            "returns the bow[, placing {r_hand} over the heart]",
            "bends forward in return[, lifting {r_hand} in greeting]",
        ),
        recoils=(
            "steps back in surprise[, raising {r_hand}]",
            "turns away from the bow[, waving {r_hand}]",
            "backs off awkwardly[ with {r_hand} held up]",
        ),
        still=(
            "stands still and watches[ with {r_hand} at the side]",
            "does not bow back[ and keeps {r_hand} down]",
            "stays upright and only looks[, barely lifting {r_hand}]",
        ),
    ),
    "Carry on back": Pool(
        actions=(
            "{adv} crouches and takes the second person on the back, holding their legs with {hand}",
            "{adv} bends down and carries the second person, gripping their thighs with {hand}",
            "{adv} lifts the second person onto the back and carries them, {hand} under their legs",
            "{adv} gives the second person a ride on the back, supporting their legs with {hand}",
        ),
        responds=(
            "climbs onto the first person's back[, {r_hand} over the shoulders]",
            "jumps onto the first person's back[, holding on with {r_hand}]",
            "rides on the first person's back[, {r_hand} on their chest]",
        ),
        recoils=(
            "steps away and refuses to climb on[, raising {r_hand}]",
            "slips off the back immediately[, pushing away with {r_hand}]",
            "backs off instead of getting on[, waving {r_hand}]",
        ),
        still=(
            "stands still and does not climb on[, {r_arm} down]",
            "stays where they are behind the first person[, keeping {r_hand} at the side]",
            "waits without getting on the back[, barely moving {r_hand}]",
        ),
    ),
    "Massaging shoulder": Pool(
        actions=(
            "stands behind the second person and {adv} massages their shoulders with {hand}, squeezing {times}",
            "places {hand} on the second person's shoulders and {adv} kneads {times}",
            "{adv} rubs the second person's shoulder {times} using {hand}",
            "{adv} presses the second person's shoulders {times} with {hand} to massage them",
        ),
        responds=(
            "relaxes and pats the first person's hand[ with {r_hand}] in thanks",
            "rolls the shoulders and enjoys it[, touching the first person's hand with {r_hand}]",
            "leans back into the massage[, resting {r_hand} on the first person's hand]",
        ),
        recoils=(
            "flinches and pulls the shoulders away[, brushing off the hand with {r_hand}]",
            "ducks away from the massage[, raising {r_hand}]",
            "shrugs and leans forward out of reach[, pushing the hand off with {r_hand}]",
        ),
        still=(
            "stays still and lets the first person massage[, {r_hand} resting on the lap]",
            "stays still and enjoys the massage[ with {r_hand} at the side]",
            "does not move while being massaged[, keeping {r_hand} down]",
        ),
    ),
    "Massaging leg": Pool(
        actions=(
            "crouches down and {adv} massages the second person's leg with {hand}, squeezing {times}",
            "{adv} rubs the second person's calf {times} with {hand}",
            "kneels by the second person and {adv} kneads their thigh {times} using {hand}",
            "places {hand} on the second person's knee and {adv} presses {times}",
        ),
        responds=(
            "stretches the leg out and relaxes[, patting the first person's shoulder with {r_hand}]",
            "leans forward and points to the sore spot[ with {r_hand}]",
            "enjoys the massage[, holding the knee with {r_hand}]",
        ),
        recoils=(
            "pulls the leg back[, pushing the hand away with {r_hand}]",
            "jerks the knee away as if it hurts[, raising {r_hand}]",
            "draws the leg in and leans away[, waving {r_hand}]",
        ),
        still=(
            "stays still and lets the leg be massaged[, {r_hand} resting on the thigh]",
            "keeps the leg still[ with {r_hand} at the side]",
            "does not move and lets the massage go on[, barely moving {r_hand}]",
        ),
    ),
    "Hand wrestling": Pool(
        actions=(
            "{adv} grips the second person's hand with {hand} and tries to push it down",
            "locks {hand} with the second person's hand and {adv} starts to wrestle",
            "{adv} clasps hands with the second person using {hand} and pushes to win",
            "holds the second person's palm in {hand} and {adv} presses against it",
        ),
        responds=(
            "grips back and pushes against the first person[ with {r_hand}]",
            "wrestles back hard[ using {r_hand}]",
            "resists and pushes the other way[, pressing with {r_hand}]",
        ),
        recoils=(
            "yanks the hand free and steps back[, shaking out {r_hand}]",
            "gives up and pulls away[, rubbing {r_hand}]",
            "steps back from the contest[, lifting {r_hand} out of the grip]",
        ),
        still=(
            "does not push back and loses[, {r_hand} going limp]",
            "stays still and lets the first person win[, barely moving {r_hand}]",
            "offers no resistance[, keeping {r_hand} loose]",
        ),
    ),
    "Chat": Pool(
        actions=(
            "faces the second person and {adv} chats with them, nodding and talking",
            "{adv} starts a conversation with the second person, gesturing while talking",
            "turns to the second person and {adv} talks with them in a friendly way",
            "{adv} says something to the second person and keeps talking",
        ),
        responds=(
            "talks back[ while gesturing with {r_hand}]",
            "nods and joins the conversation[, moving {r_hand} as they speak]",
            "answers and chats along[, raising {r_hand} to explain]",
        ),
        recoils=(
            "turns away and does not want to talk[, waving {r_hand}]",
            "steps back and avoids the conversation[, holding up {r_hand}]",
            "looks away and leaves the chat[ with {r_hand} raised]",
        ),
        still=(
            "listens quietly without moving[, {r_hand} at the side]",
            "stands still and just listens[, keeping {r_hand} down]",
            "stays silent and only nods[, barely moving {r_hand}]",
        ),
    ),
    "Pat on cheek": Pool(
        actions=(
            "{adv} pats the second person on the cheek {times} with {hand}",
            "raises {hand} and {adv} taps the second person's face {times}",
            "{adv} touches the second person's cheek {times} using the palm of {hand}",
            "reaches up with {hand} and {adv} pats the second person's cheek gently {times}",
        ),
        responds=(
            "pats the first person's cheek back[ with {r_hand}]",
            "smiles and returns the pat[, touching the first person's face with {r_hand}]",
            "answers in kind, patting back[ with {r_hand}]",
        ),
        recoils=(
            "pulls the face away[, pushing the hand off with {r_hand}]",
            "turns the head aside and steps back[, covering the cheek with {r_hand}]",
            "leans back to avoid the touch[, raising {r_hand}]",
        ),
        still=(
            "stands still and lets the cheek be patted[, {r_hand} down]",
            "does not move the head[ and keeps {r_hand} at the side]",
            "stays still and accepts it[, barely lifting {r_hand}]",
        ),
    ),
    "Thumb up": Pool(
        actions=(
            "{adv} raises {hand} and gives the second person a thumbs up",
            "{adv} shows a thumb up to the second person with {hand}",
            "lifts {hand} toward the second person and {adv} sticks the thumb up",
            "{adv} holds up {hand} with the thumb pointing up to praise the second person",
        ),
        responds=(
            "gives a thumbs up back[ with {r_hand}]",
            "smiles and returns the gesture[, raising {r_hand} with the thumb up]",
            "nods and holds up a thumb too[ using {r_hand}]",
        ),
        recoils=(
            "shakes the head and turns away[, waving {r_hand}]",
            "steps back and ignores the praise[, lowering {r_hand}]",
            "turns aside, unimpressed[, brushing it off with {r_hand}]",
        ),
        still=(
            "stands still and just looks at the gesture[ with {r_hand} at the side]",
            "does not react[, keeping {r_hand} down]",
            "stays quiet and watches[, barely lifting {r_hand}]",
        ),
    ),
    "Touch head": Pool(
        actions=(
            "reaches out {hand} and {adv} touches the top of the second person's head {times}",
            "{adv} pats the second person on the head {times} with {hand}",
            "{adv} places {hand} on the second person's head and rubs it {times}",
            "{adv} strokes the second person's hair {times} using {hand}",
        ),
        responds=(
            "reaches up and touches the first person's head in return[ with {r_hand}]",
            "smiles and pats the first person's head back[ with {r_hand}]",
            "returns the touch[, stroking the first person's hair with {r_hand}]",
        ),
        recoils=(
            "ducks the head away and steps back[, brushing the hand aside with {r_hand}]",
            "pulls away from the touch[, raising {r_hand} to block it]",
            "leans back out of reach[, covering the head with {r_hand}]",
        ),
        still=(
            "stands still and lets the head be touched[, {r_hand} at the side]",
            "does not move away[ and keeps {r_hand} down]",
            "lowers the eyes and stays still[, barely lifting {r_hand}]",
        ),
    ),
    "Imitate": Pool(
        actions=(
            "{adv} raises {hand} and makes a gesture for the second person to copy",
            "{adv} moves {hand} in a circle in front of the second person",
            "shows the second person a motion, {adv} lifting {hand} over the head",
            "{adv} performs a pose with {arm} stretched out, facing the second person",
        ),
        responds=(
            "copies the same motion[ with {r_hand}]",
            "watches carefully and imitates it[, moving {r_hand} the same way]",
            "mirrors the first person's gesture[ using {r_hand}]",
        ),
        recoils=(
            "shakes the head and turns away[, waving {r_hand}]",
            "steps back and refuses to copy it[, lowering {r_hand}]",
            "looks away, unwilling to follow[, putting {r_hand} behind the back]",
        ),
        still=(
            "stands still and just watches[ with {r_hand} at the side]",
            "does not copy the gesture[ and keeps {r_hand} down]",
            "stays in place and observes[, barely lifting {r_hand}]",
        ),
    ),
    "Kiss on cheek": Pool(
        actions=(
            "{adv} kisses the second person's cheek {times}, holding their shoulder with {hand}",
            "puts {hand} on the second person's arm and {adv} kisses their cheek {times}",
            "{adv} pecks the second person on the cheek {times} with {hand} on their back",
            "holds the second person's face with {hand} and {adv} kisses their cheek {times}",
        ),
        responds=(
            "kisses the first person's cheek back[, holding their arm with {r_hand}]",
            "smiles and returns the kiss[, touching the first person's face with {r_hand}]",
            "turns and kisses back[ with {r_hand} on the first person's shoulder]",
        ),
        recoils=(
            "pulls the face back in surprise[, pushing the first person away with {r_hand}]",
            "turns the head aside to avoid the kiss[, raising {r_hand}]",
            "leans away and steps back[, wiping the cheek with {r_hand}]",
        ),
        still=(
            "stands still and accepts the kiss[, {r_hand} at the side]",
            "does not move and lets it happen[, keeping {r_hand} down]",
            "stays still with a shy smile[, barely lifting {r_hand}]",
        ),
    ),
    "Help up": Pool(
        actions=(
            "reaches down with {hand} and {adv} helps the second person stand up from the floor",
            "{adv} pulls the second person up to their feet, gripping with {hand}",
            "bends over, offers {hand} and {adv} lifts the second person up",
            "{adv} grabs the seated second person with {hand} and hauls them up",
        ),
        responds=(
            "grabs hold[ with {r_hand}] and gets up",
            "reaches up[ with {r_hand}] and rises to their feet",
            "accepts the help and pushes off the ground[, holding on with {r_hand}]",
        ),
        recoils=(
            "refuses the help and leans away[, pushing the hand aside with {r_hand}]",
            "shakes the head and stays down[, waving {r_hand}]",
            "pulls back from the offered hand[, raising {r_hand}]",
        ),
        still=(
            "stays limp and lets the first person lift them[, {r_hand} hanging down]",
            "does not help and is pulled up[ with {r_arm} loose]",
            "lets themselves be raised without moving[, barely gripping with {r_hand}]",
        ),
    ),
    "Cover mouth": Pool(
        actions=(
            "{adv} covers the second person's mouth with {hand}",
            "reaches out {hand} and {adv} presses {it} over the second person's mouth",
            "{adv} puts {hand} over the second person's mouth to stop them from talking",
            "{adv} clamps {hand} on the second person's mouth, keeping them quiet",
        ),
        responds=(
            "grabs the hand and pulls it away[ with {r_hand}]",
            "pulls the first person's hand off the mouth[ using {r_hand}]",
            "fights back, prying the hand loose[ with {r_hand}]",
        ),
        recoils=(
            "jerks the head back and steps away[, wiping the mouth with {r_hand}]",
            "turns away in surprise[, raising {r_hand}]",
            "pulls back and struggles free[, pushing with {r_hand}]",
        ),
        still=(
            "stands still and stays quiet[, {r_hand} at the side]",
            "does not resist and lets the mouth be covered[, keeping {r_hand} down]",
            "stays silent and motionless[, barely lifting {r_hand}]",
        ),
    ),
    "Look back": Pool(
        actions=(
            "stands behind the second person and {adv} raises {hand} to call them",
            "{adv} waves {hand} from behind to get the attention of the second person",
            "calls the second person from behind their back, {adv} lifting {hand}",
            "{adv} lifts {hand} behind the second person to make them turn",
        ),
        responds=(
            "twists around and looks back over the shoulder at the first person[, lifting {r_hand}]",
            "turns the head and the upper body to look back at the first person[, raising {r_hand}]",
            "glances back over the shoulder to see who is calling[, {r_hand} lifted]",
        ),
        recoils=(
            "hunches the shoulders and moves away without looking[, raising {r_hand}]",
            "starts and steps forward instead of turning[, lifting {r_hand}]",
            "shies away from the call[, {r_hand} raised]",
        ),
        still=(
            "keeps facing away and does not look back[, {r_hand} at the side]",
            "does not turn around[, keeping {r_hand} down]",
            "stays as they are with the back to them[, barely lifting {r_hand}]",
        ),
    ),
    "Block": Pool(
        actions=(
            "{adv} attacks the second person's {spot} with {blow}",
            "{adv} strikes at the second person with {blow}, aiming at the {spot}",
            "swings {blow} at the {spot} of the second person {adv}",
            "{adv} tries to hit the second person in the {spot} with {blow}",
        ),
        responds=(
            "blocks the blow in time[ with {r_arm}]",
            "guards against it[, taking the hit on {r_arm}], then lowers the guard",
            "stops the attack[ with {r_arm} raised as a shield]",
        ),
        recoils=(
            "backs away from the attack[, raising {r_hand}]",
            "ducks and steps back[ with {r_hand} up]",
            "dodges to the side[, lifting {r_hand}]",
        ),
        still=(
            "does not defend and takes the blow[, {r_arm} down]",
            "stands still without blocking[, keeping {r_hand} at the side]",
            "stays where they are[, barely lifting {r_hand}]",
        ),
    ),
    "Fly kiss": Pool(
        actions=(
            "kisses {hand} and {adv} blows a kiss to the second person {times}",
            "{adv} blows the second person a kiss {times} from {hand}",
            "touches the lips with {hand} and {adv} sends a kiss toward the second person {times}",
            "{adv} throws a kiss {times} to the second person with {hand}",
        ),
        responds=(
            "catches the kiss[ with {r_hand}] and presses it to the chest",
            "catches it in the air[ with {r_hand}] and holds it to the heart",
            "smiles and nods at the first person[, catching the kiss with {r_hand}]",
        ),
        recoils=(
            "turns away and dodges the kiss[, waving {r_hand}]",
            "steps back, embarrassed[, covering the face with {r_hand}]",
            "leans aside as if to avoid it[, holding up {r_hand}]",
        ),
        still=(
            "stands still and watches[ with {r_hand} at the side]",
            "does not react to the kiss[, keeping {r_hand} down]",
            "just stays in place[, barely lifting {r_hand}]",
        ),
    ),
}

# sentence frames, one per text, joining the action and the reaction clauses
FRAMES = (
    "The first person {action}, and the second person {reaction}.",
    "The first person {action}. The second person {reaction}.",
    "The first person {action}, and then the second person {reaction}.",
    "After the first person {action}, the second person {reaction}.",
    "The first person {action}, and in response the second person {reaction}.",
    "The first person {action}, while the second person {reaction}.",
)
# how a text says the actor walks in first
APPROACHES = (
    "walks over and",
    "walks up and",
    "approaches and",
    "walks closer and",
    "first walks over and",
)
