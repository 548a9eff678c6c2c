import type { MeasureText } from './measure-text.types';

/**
 * PHQ-9, Spanish for the USA: Pfizer's official translation (PHQ Screeners), verbatim. See
 * SOURCES.md for where this text was read and how to re-check it. Do not edit the wording.
 */
export const PHQ9_ES: MeasureText = {
  language: 'es',
  fullName: 'Cuestionario sobre la salud del paciente (PHQ-9)',
  stem: 'Durante las últimas 2 semanas, ¿qué tan seguido ha tenido molestias debido a los siguientes problemas?',
  items: [
    'Poco interés o placer en hacer cosas',
    'Se ha sentido decaído(a), deprimido(a) o sin esperanzas',
    'Ha tenido dificultad para quedarse o permanecer dormido(a), o ha dormido demasiado',
    'Se ha sentido cansado(a) o con poca energía',
    'Sin apetito o ha comido en exceso',
    'Se ha sentido mal con usted mismo(a) – o que es un fracaso o que ha quedado mal con usted mismo(a) o con su familia',
    'Ha tenido dificultad para concentrarse en ciertas actividades, tales como leer el periódico o ver la televisión',
    '¿Se ha movido o hablado tan lento que otras personas podrían haberlo notado? o lo contrario – muy inquieto(a) o agitado(a) que ha estado moviéndose mucho más de lo normal',
    'Pensamientos de que estaría mejor muerto(a) o de lastimarse de alguna manera',
  ],
  options: ['Ningún día', 'Varios días', 'Más de la mitad de los días', 'Casi todos los días'],
  difficulty: {
    question:
      'Si marcó cualquiera de los problemas, ¿qué tanta dificultad le han dado estos problemas para hacer su trabajo, encargarse de las tareas del hogar, o llevarse bien con otras personas?',
    options: ['No ha sido difícil', 'Un poco difícil', 'Muy difícil', 'Extremadamente difícil'],
  },
  attribution:
    'Elaborado por los doctores Robert L. Spitzer, Janet B.W. Williams, Kurt Kroenke y colegas, mediante una subvención educativa otorgada por Pfizer Inc. No se requiere permiso para reproducir, traducir, presentar o distribuir.',
  source: 'Pfizer PHQ Screeners, PHQ-9 Spanish for the USA (see SOURCES.md)',
};
